// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sample;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import java.util.Map;

/** Sample evidence variants for tests. */
public final class SampleEvidenceTestSupport {
  private SampleEvidenceTestSupport() {}

  public static String signWithDebug(ECKey attestationKey, String measurement, byte[] reportData)
      throws Exception {
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(attestationKey.toPublicJWK()).build(),
            new Payload(
                Json.write(
                    Map.of(
                        "measurement",
                        measurement,
                        "report_data",
                        Hex.encode(reportData),
                        "debug",
                        true))));
    jws.sign(new ECDSASigner(attestationKey));
    return jws.serialize();
  }
}
