// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.cose.CborMap;
import dev.arbiter.evidence.psa.SoftwareComponents;
import dev.arbiter.problem.ProblemException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CCA platform claims (draft-ffm-rats-cca-token §4.3; keys as the Arm CCA Security Model and TF-RMM
 * emit them): profile 265, challenge 10, instance id 256, lifecycle 2395, implementation id 2396,
 * software components 2399, verification service 2400, config 2401, hash algorithm 2402.
 *
 * @param challenge the platform challenge, which must be the hash of the RAK (the binding)
 * @param instanceId the platform UEID (selects the CPAK)
 * @param implementationId the implementation id
 * @param claims the normalized claims, in output order
 */
record CcaPlatform(
    byte[] challenge, byte[] instanceId, byte[] implementationId, Map<String, Object> claims) {
  private static final Set<Integer> KEYS = Set.of(265, 10, 256, 2395, 2396, 2399, 2400, 2401, 2402);

  static CcaPlatform parse(CborMap map) {
    map.rejectUnknown(KEYS);
    byte[] challenge = map.bytes(10, "challenge", 32, 64);
    if (challenge.length != 32 && challenge.length != 48 && challenge.length != 64) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED,
          "CCA platform challenge is " + challenge.length + " bytes");
    }
    byte[] instanceId = map.bytes(256, "instance id", 33, 33);
    byte[] implementationId = map.bytes(2396, "implementation id", 32, 32);
    long lifecycle = map.integer(2395, "lifecycle");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("profile", map.text(265, "profile", 256));
    claims.put("challenge", challenge);
    claims.put("implementation_id", implementationId);
    claims.put("instance_id", instanceId);
    claims.put("config", map.bytes(2401, "config", 0, 4096));
    claims.put("lifecycle", lifecycle);
    claims.put("lifecycle_state", SoftwareComponents.lifecycleState(lifecycle));
    claims.put("hash_algo", map.text(2402, "hash algorithm", 32));
    List<Map<String, Object>> components =
        SoftwareComponents.parse(
            map.array(2399, "software components", 1, 64), "CCA platform software component");
    claims.put("software_components", components);
    map.optionalText(2400, "verification service", 1024)
        .ifPresent(v -> claims.put("verification_service", v));
    return new CcaPlatform(challenge, instanceId, implementationId, claims);
  }
}
