// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.sbom;

import dev.arbiter.problem.Problem;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an SBOM says it describes, so that a version can check the SBOM is about its artifact: the
 * CycloneDX {@code metadata.component} (name, purl, hashes; an {@code oci} purl's {@code
 * sha256:...} version counts as a digest), the SPDX packages and files the document DESCRIBES
 * (their checksums), or the subjects of an in-toto Statement wrapping the SBOM. Only digests bind;
 * names are informative.
 *
 * @param documentName SPDX {@code name}, CycloneDX serial number, or null
 */
public record SbomBinding(String documentName, List<Subject> subjects) {
  public SbomBinding {
    subjects = List.copyOf(subjects);
  }

  /** Where a subject came from. */
  public enum Source {
    CYCLONEDX_METADATA,
    SPDX_DESCRIBED,
    INTOTO_STATEMENT
  }

  /**
   * One described artifact.
   *
   * @param digests normalised algorithm ({@code sha256}, ...) to lowercase hex
   */
  public record Subject(String name, Map<String, String> digests, Source source) {
    public Subject {
      digests = Map.copyOf(digests);
    }
  }

  /** True when some subject carries exactly this digest (algorithm names as in {@code sha256}). */
  public boolean binds(String algorithm, String hex) {
    String alg = Hashes.algorithm(algorithm);
    String value = hex.toLowerCase(Locale.ROOT);
    return subjects.stream().anyMatch(s -> value.equals(s.digests().get(alg)));
  }

  /**
   * Empty when {@link #binds}; else a {@link SbomProblem#SBOM_NOT_BOUND} problem naming the digest.
   */
  public Optional<Problem> checkBoundTo(String algorithm, String hex) {
    if (binds(algorithm, hex)) {
      return Optional.empty();
    }
    return Optional.of(
        Problem.of(
            SbomProblem.SBOM_NOT_BOUND,
            "no SBOM subject has %s:%s (%d subject(s) with digests)",
            Hashes.algorithm(algorithm),
            hex.toLowerCase(Locale.ROOT),
            subjects.stream().filter(s -> !s.digests().isEmpty()).count()));
  }
}
