// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

import dev.arbiter.evidence.Claims;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The claims of a CCA token: {@code realm.*} and {@code platform.*} (listed in README.md). */
final class CcaClaims {
  static final List<String> NAMES =
      List.of(
          "realm.profile",
          "realm.challenge",
          "realm.personalization_value",
          "realm.initial_measurement",
          "realm.rem0",
          "realm.rem1",
          "realm.rem2",
          "realm.rem3",
          "realm.hash_algo",
          "realm.public_key",
          "realm.public_key_hash_algo",
          "platform.profile",
          "platform.challenge",
          "platform.implementation_id",
          "platform.instance_id",
          "platform.config",
          "platform.lifecycle",
          "platform.lifecycle_state",
          "platform.hash_algo",
          "platform.software_components",
          "platform.verification_service");

  /**
   * The byte-string claims and their lengths (CcaRealm, CcaPlatform): the 64-byte realm challenge
   * and personalization value, measurements and the platform challenge as SHA-256, SHA-384 or
   * SHA-512 digests, the 32-byte implementation id and the 33-byte instance id (UEID). {@code
   * realm.public_key} (a raw EC point or a COSE_Key) and {@code platform.config} have no fixed
   * length.
   */
  static final Map<String, Set<Integer>> BYTE_CLAIMS = byteClaims();

  private CcaClaims() {}

  private static Map<String, Set<Integer>> byteClaims() {
    Set<Integer> digests = Set.of(32, 48, 64);
    Map<String, Set<Integer>> out = new LinkedHashMap<>();
    out.put("realm.challenge", Set.of(64));
    out.put("realm.personalization_value", Set.of(64));
    out.put("realm.initial_measurement", digests);
    for (int i = 0; i < 4; i++) {
      out.put("realm.rem" + i, digests);
    }
    out.put("platform.challenge", digests);
    out.put("platform.implementation_id", Set.of(32));
    out.put("platform.instance_id", Set.of(33));
    return java.util.Collections.unmodifiableMap(out);
  }

  static Claims of(CcaToken token) {
    return Claims.builder()
        .put("realm", token.realm().claims())
        .put("platform", token.platform().claims())
        .build();
  }
}
