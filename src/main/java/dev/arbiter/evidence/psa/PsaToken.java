// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.psa;

import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.cose.CborMap;
import dev.arbiter.evidence.cose.CoseSign1;
import dev.arbiter.problem.ProblemException;
import java.util.Set;

/**
 * A PSA attestation token: COSE_Sign1 (tag 18) over a claims map in either claim-key generation,
 * {@code http://arm.com/psa/2.0.0} (EAT keys) or the legacy {@code PSA_IOT_PROFILE_1} (private-use
 * keys -75000..-75010). Parsing is strict: required claims present with their types and sizes,
 * unknown keys and mixed generations refused.
 *
 * @param cose the signed envelope
 * @param nonce the challenge (32, 48 or 64 bytes)
 * @param instanceId the UEID (type byte 0x01 and 32 bytes)
 * @param implementationId 32 bytes
 * @param claims the normalized claims
 */
record PsaToken(
    CoseSign1 cose, byte[] nonce, byte[] instanceId, byte[] implementationId, Claims claims) {
  static final int MAX_BYTES = 16 * 1024;
  private static final int NONE = Integer.MIN_VALUE;

  /** Claim keys of one generation, in the order nonce, instance id, implementation id, ... */
  private record Keys(
      int profile,
      int clientId,
      int lifecycle,
      int implementationId,
      int bootSeed,
      int certificationReference,
      int softwareComponents,
      int noSoftwareMeasurements,
      int nonce,
      int instanceId,
      int verificationService) {
    Set<Integer> all() {
      Set<Integer> keys =
          new java.util.HashSet<>(
              Set.of(
                  profile,
                  clientId,
                  lifecycle,
                  implementationId,
                  bootSeed,
                  certificationReference,
                  softwareComponents,
                  nonce,
                  instanceId,
                  verificationService));
      if (noSoftwareMeasurements != NONE) {
        keys.add(noSoftwareMeasurements);
      }
      return keys;
    }
  }

  private static final Keys PROFILE_2 =
      new Keys(265, 2394, 2395, 2396, 2397, 2398, 2399, NONE, 10, 256, 2400);
  private static final Keys PROFILE_1 =
      new Keys(
          -75000, -75001, -75002, -75003, -75004, -75005, -75006, -75007, -75008, -75009, -75010);

  static PsaToken parse(byte[] evidence) {
    CoseSign1 cose = CoseSign1.decode(evidence, MAX_BYTES, CoseSign1.Tagging.TAGGED, "PSA token");
    CborMap map = CborMap.decode(cose.payload(), MAX_BYTES, "PSA claims");
    Keys keys;
    if (map.has(PROFILE_2.profile()) || map.has(PROFILE_2.nonce())) {
      keys = PROFILE_2;
    } else if (map.has(PROFILE_1.nonce())) {
      keys = PROFILE_1;
    } else {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED,
          "PSA claims have no nonce in either claim-key generation");
    }
    map.rejectUnknown(keys.all());
    String profile =
        map.optionalText(keys.profile(), "profile", 256)
            .orElse(keys == PROFILE_1 ? "PSA_IOT_PROFILE_1" : "");
    if (keys == PROFILE_2 && profile.isEmpty()) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED, "PSA claims lack the profile (265)");
    }
    byte[] nonce = map.bytes(keys.nonce(), "nonce", 32, 64);
    if (nonce.length != 32 && nonce.length != 48 && nonce.length != 64) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED,
          "PSA nonce is " + nonce.length + " bytes, expected 32, 48 or 64");
    }
    byte[] instanceId = map.bytes(keys.instanceId(), "instance id", 33, 33);
    if (instanceId[0] != 0x01) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED, "PSA instance id is not a RAND UEID (type 0x01)");
    }
    byte[] implementationId = map.bytes(keys.implementationId(), "implementation id", 32, 32);
    long lifecycle = map.integer(keys.lifecycle(), "security lifecycle");
    Claims.Builder claims =
        Claims.builder()
            .put("profile", profile)
            .put("nonce", nonce)
            .put("instance_id", instanceId)
            .put("implementation_id", implementationId)
            .put("client_id", map.integer(keys.clientId(), "client id"))
            .put("lifecycle", lifecycle)
            .put("lifecycle_state", SoftwareComponents.lifecycleState(lifecycle));
    map.optionalBytes(keys.bootSeed(), "boot seed", 8, 32)
        .ifPresent(v -> claims.put("boot_seed", v));
    map.optionalText(keys.certificationReference(), "certification reference", 64)
        .ifPresent(v -> claims.put("certification_reference", v));
    if (map.has(keys.softwareComponents())) {
      claims.put(
          "software_components",
          SoftwareComponents.parse(
              map.array(keys.softwareComponents(), "software components", 1, 64),
              "PSA software component"));
    } else if (keys == PROFILE_1 && map.has(keys.noSoftwareMeasurements())) {
      map.integer(keys.noSoftwareMeasurements(), "no software measurements");
      claims.put("software_components", java.util.List.of());
    } else {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED, "PSA claims lack software components");
    }
    map.optionalText(keys.verificationService(), "verification service", 1024)
        .ifPresent(v -> claims.put("verification_service", v));
    return new PsaToken(cose, nonce, instanceId, implementationId, claims.build());
  }
}
