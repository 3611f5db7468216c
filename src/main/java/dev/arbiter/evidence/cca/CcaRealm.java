// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

import com.upokecenter.cbor.CBORObject;
import dev.arbiter.crypto.EcKeys;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.cose.CborMap;
import dev.arbiter.evidence.cose.CoseKeys;
import dev.arbiter.problem.ProblemException;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CCA realm claims (draft-ffm-rats-cca-token §4.2, RMM specification A7.2.3.1): challenge 10,
 * personalization value 44235, measurement hash algorithm 44236, RAK 44237 (a raw uncompressed EC
 * point, or a COSE_Key in the draft-ffm-00 profile), initial measurement 44238, four extensible
 * measurements 44239, RAK hash algorithm 44240, optional profile 265.
 *
 * @param rakBytes the RAK exactly as encoded in the token (the binding hashes these bytes)
 * @param rak the RAK as a validated key
 * @param rakHashAlgorithm the algorithm the platform challenge uses over {@code rakBytes}
 * @param challenge the realm challenge (what {@code --report-data} is compared with)
 * @param claims the normalized claims, in output order
 */
record CcaRealm(
    byte[] rakBytes,
    ECPublicKey rak,
    String rakHashAlgorithm,
    byte[] challenge,
    Map<String, Object> claims) {
  private static final Set<Integer> KEYS =
      Set.of(265, 10, 44235, 44236, 44237, 44238, 44239, 44240);

  static CcaRealm parse(CborMap map) {
    map.rejectUnknown(KEYS);
    byte[] challenge = map.bytes(10, "challenge", 64, 64);
    byte[] rakBytes = map.bytes(44237, "public key", 1, 512);
    ECPublicKey rak = rak(rakBytes);
    String rakHash = map.text(44240, "public key hash algorithm", 32);
    String measurementHash = map.text(44236, "hash algorithm", 32);
    Map<String, Object> claims = new LinkedHashMap<>();
    map.optionalText(265, "profile", 256).ifPresent(v -> claims.put("profile", v));
    claims.put("challenge", challenge);
    claims.put("personalization_value", map.bytes(44235, "personalization value", 64, 64));
    claims.put("initial_measurement", measurement(map.bytes(44238, "initial measurement", 32, 64)));
    List<CBORObject> rems = map.array(44239, "extensible measurements", 4, 4);
    for (int i = 0; i < 4; i++) {
      claims.put(
          "rem" + i,
          measurement(CborMap.Values.bytes(rems.get(i), "CCA realm claims rem" + i, 32, 64)));
    }
    claims.put("hash_algo", measurementHash);
    claims.put("public_key", rakBytes);
    claims.put("public_key_hash_algo", rakHash);
    return new CcaRealm(rakBytes, rak, rakHash, challenge, claims);
  }

  private static byte[] measurement(byte[] value) {
    if (value.length != 32 && value.length != 48 && value.length != 64) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED,
          "CCA realm measurement is " + value.length + " bytes");
    }
    return value;
  }

  private static ECPublicKey rak(byte[] encoded) {
    if (encoded[0] == 0x04) {
      try {
        return EcKeys.fromUncompressed(encoded);
      } catch (GeneralSecurityException e) {
        throw new ProblemException(
            EvidenceProblem.EVIDENCE_MALFORMED, "CCA realm public key: " + e.getMessage());
      }
    }
    return CoseKeys.decode(encoded, "CCA realm public key (COSE_Key)");
  }
}
