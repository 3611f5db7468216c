// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nitro;

import dev.arbiter.evidence.Claims;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The claims of a Nitro attestation document (names listed in this package's README.md). */
final class NitroClaims {
  static final List<String> NAMES = names();

  /**
   * The byte-string claims: {@code pcr0}..{@code pcr31}, each a digest of the document's {@code
   * digest} algorithm (SHA-256, SHA-384 or SHA-512; AWS uses SHA-384). {@code user_data}, {@code
   * nonce} and {@code public_key} are left out: the document may carry any length of each (up to
   * NitroDocument's bound, an empty one too).
   */
  static final Map<String, Set<Integer>> BYTE_CLAIMS = byteClaims();

  private NitroClaims() {}

  private static Map<String, Set<Integer>> byteClaims() {
    Map<String, Set<Integer>> out = new LinkedHashMap<>();
    for (int i = 0; i < 32; i++) {
      out.put("pcr" + i, Set.of(32, 48, 64));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  private static List<String> names() {
    List<String> names = new ArrayList<>(List.of("module_id", "digest", "timestamp"));
    for (int i = 0; i < 32; i++) {
      names.add("pcr" + i);
    }
    names.addAll(List.of("user_data", "nonce", "public_key", "debug"));
    return List.copyOf(names);
  }

  static Claims of(NitroDocument document) {
    Claims.Builder claims =
        Claims.builder()
            .put("module_id", document.moduleId())
            .put("digest", document.digest())
            .put("timestamp", document.timestamp());
    document.pcrs().forEach((index, value) -> claims.put("pcr" + index, value));
    document.userData().ifPresent(value -> claims.put("user_data", value));
    document.nonce().ifPresent(value -> claims.put("nonce", value));
    document.publicKey().ifPresent(value -> claims.put("public_key", value));
    claims.put("debug", document.debugMode());
    return claims.build();
  }
}
