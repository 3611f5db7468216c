// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a scheme is: a stable lower-kebab id (also the {@code --format} value and the key in the
 * reference-values file), a major.minor version (a major bump means results change for the same
 * input), accepted media types and the claim names it produces (dotted for nested claims).
 *
 * @param id stable scheme id, e.g. {@code sev-snp}
 * @param version major.minor
 * @param mediaTypes evidence media types accepted
 * @param claimNames every claim name the scheme may produce; reference values may name only these
 * @param summary one line for {@code --help}
 */
public record SchemeDescriptor(
    String id, String version, List<String> mediaTypes, List<String> claimNames, String summary) {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+");

  public SchemeDescriptor {
    Objects.requireNonNull(summary, "summary");
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("scheme id must be lower-kebab: " + id);
    }
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("scheme version must be major.minor: " + version);
    }
    mediaTypes = List.copyOf(mediaTypes);
    claimNames = List.copyOf(claimNames);
    if (mediaTypes.isEmpty() || claimNames.isEmpty()) {
      throw new IllegalArgumentException("scheme " + id + " must list media types and claims");
    }
  }
}
