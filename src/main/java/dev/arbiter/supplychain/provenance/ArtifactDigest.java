// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import dev.arbiter.supplychain.provenance.core.Subject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The digest(s) of the artifact the provenance must be about, algorithm (DigestSet key) to
 * lowercase hex. A subject matches when it shares at least one of these algorithms and every shared
 * algorithm has the same value.
 */
public record ArtifactDigest(Map<String, String> values) {
  private static final Map<String, Integer> LENGTHS =
      Map.of("sha256", 64, "sha384", 96, "sha512", 128);

  public ArtifactDigest {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no digest");
    }
    values = Map.copyOf(values);
  }

  /**
   * Parses {@code sha256:HEX} (also {@code sha384:}, {@code sha512:}).
   *
   * @throws IllegalArgumentException on another algorithm or a wrong-length value
   */
  public static ArtifactDigest parse(String text) {
    int colon = text.indexOf(':');
    String algorithm = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
    String value = colon < 0 ? "" : text.substring(colon + 1).toLowerCase(Locale.ROOT);
    Integer length = LENGTHS.get(algorithm);
    if (length == null || value.length() != length || !Hex.isHex(value)) {
      throw new IllegalArgumentException(
          "expected sha256:<64 hex digits> (or sha384:/sha512:), got '" + text + "'");
    }
    return new ArtifactDigest(Map.of(algorithm, value));
  }

  /** SHA-256 and SHA-512 of the artifact bytes (npm subjects carry sha512 only). */
  public static ArtifactDigest of(byte[] artifact) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("sha256", Hex.encode(Digests.sha256(artifact)));
    values.put("sha512", Hex.encode(Digests.sha512(artifact)));
    return new ArtifactDigest(values);
  }

  /**
   * True when the subject's DigestSet shares an algorithm with this digest and all shared ones
   * agree.
   */
  public boolean matches(Subject subject) {
    boolean shared = false;
    for (var entry : values.entrySet()) {
      String recorded = subject.digest().get(entry.getKey());
      if (recorded != null) {
        if (!Digests.constantTimeEquals(
            recorded.toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            entry.getValue().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
          return false;
        }
        shared = true;
      }
    }
    return shared;
  }

  @Override
  public String toString() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue())
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }
}
