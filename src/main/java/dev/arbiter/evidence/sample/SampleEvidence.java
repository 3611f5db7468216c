// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sample;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Produces {@code sample} evidence (development only): what a software "TEE" signs with its
 * attestation key. Used by {@code arbiter sample-tee}, demos and tests.
 */
public final class SampleEvidence {
  private SampleEvidence() {}

  /**
   * @param attestationKey the private key playing the TEE's hardware key
   * @param measurement hex measurement of the workload
   * @param configurationHex hex configuration digest (SHA-256 of the JCS form of the version's
   *     configuration object), or null
   * @param reportData the binding value (64 bytes)
   */
  public static String sign(
      ECKey attestationKey, String measurement, String configurationHex, byte[] reportData) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("measurement", measurement.toLowerCase(java.util.Locale.ROOT));
    if (configurationHex != null) {
      payload.put("config", configurationHex);
    }
    payload.put("report_data", Hex.encode(reportData));
    try {
      JWSObject jws =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(attestationKey.toPublicJWK()).build(),
              new Payload(Json.write(payload)));
      jws.sign(dev.arbiter.crypto.JoseCrypto.signer(attestationKey));
      return jws.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign sample evidence", e);
    }
  }

  /** SHA-256 of the JCS form of a configuration object {name: "sha256:..."} (lowercase hex). */
  public static String configurationDigest(Map<String, String> configuration) {
    return Hex.encode(Digests.sha256(Jcs.canonicalize(Json.mapper().valueToTree(configuration))));
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
