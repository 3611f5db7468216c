// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import java.io.IOException;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The HCL runtime data: the JSON the paravisor hashes into the hardware report's report data.
 * {@code keys} must hold exactly one RSA public JWK with {@code kid} {@code HCLAkPub} (the vTPM's
 * attestation key); {@code HCLEkPub} is optional. {@code vm-configuration} and {@code user-data}
 * are optional. Other members are allowed (they are covered by the hash) but ignored. Duplicate
 * members are refused by the strict JSON reader.
 *
 * @param akJwk the HCLAkPub JWK as JSON text (for the TPM scheme's {@code --key})
 * @param akThumbprint RFC 7638 SHA-256 thumbprint of HCLAkPub
 * @param ekThumbprint the same for HCLEkPub, when present
 * @param vmConfiguration claims {@code secure_boot, tpm_enabled, console_enabled, vm_unique_id}
 *     (those present)
 * @param userData the {@code user-data} hex string decoded, when present
 */
record RuntimeData(
    String akJwk,
    byte[] akThumbprint,
    Optional<byte[]> ekThumbprint,
    Map<String, Object> vmConfiguration,
    Optional<byte[]> userData) {
  static final String AK_KID = "HCLAkPub";
  static final String EK_KID = "HCLEkPub";
  private static final Map<String, String> VM_CONFIGURATION =
      Map.of(
          "secure-boot",
          "secure_boot",
          "tpm-enabled",
          "tpm_enabled",
          "console-enabled",
          "console_enabled",
          "vmUniqueId",
          "vm_unique_id");

  /**
   * @throws ProblemException EVIDENCE_MALFORMED (JSON) or KEY_MALFORMED (keys)
   */
  static RuntimeData parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.readTree(json);
    } catch (IOException | RuntimeException e) {
      throw malformed("the HCL runtime data is not well-formed JSON");
    }
    if (root == null || !root.isObject()) {
      throw malformed("the HCL runtime data is not a JSON object");
    }
    JsonNode keys = root.get("keys");
    if (keys == null || !keys.isArray()) {
      throw malformed("the HCL runtime data has no \"keys\" array");
    }
    JsonNode ak = null;
    JsonNode ek = null;
    for (JsonNode key : keys) {
      String kid = key.isObject() && key.path("kid").isTextual() ? key.get("kid").asText() : "";
      if (kid.equals(AK_KID)) {
        if (ak != null) {
          throw keyMalformed("the HCL runtime data has more than one " + AK_KID);
        }
        ak = key;
      } else if (kid.equals(EK_KID)) {
        if (ek != null) {
          throw keyMalformed("the HCL runtime data has more than one " + EK_KID);
        }
        ek = key;
      }
    }
    if (ak == null) {
      throw keyMalformed("the HCL runtime data has no " + AK_KID + " key");
    }
    byte[] akThumbprint = rsaThumbprint(ak, AK_KID);
    Optional<byte[]> ekThumbprint =
        ek == null ? Optional.empty() : Optional.of(rsaThumbprint(ek, EK_KID));
    return new RuntimeData(
        ak.toString(),
        akThumbprint,
        ekThumbprint,
        vmConfiguration(root.get("vm-configuration")),
        userData(root.get("user-data")));
  }

  private static byte[] rsaThumbprint(JsonNode node, String kid) {
    JWK jwk;
    try {
      jwk = JWK.parse(node.toString());
    } catch (ParseException | RuntimeException e) {
      throw keyMalformed(kid + " is not a valid JWK");
    }
    if (!(jwk instanceof RSAKey rsa) || jwk.isPrivate()) {
      throw keyMalformed(kid + " must be an RSA public key (kty " + jwk.getKeyType() + ")");
    }
    try {
      return rsa.computeThumbprint("SHA-256").decode();
    } catch (JOSEException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static Map<String, Object> vmConfiguration(JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    if (!node.isObject()) {
      throw malformed("vm-configuration in the HCL runtime data is not an object");
    }
    for (String field :
        new String[] {"secure-boot", "tpm-enabled", "console-enabled", "vmUniqueId"}) {
      JsonNode value = node.get(field);
      if (value == null) {
        continue;
      }
      boolean text = field.equals("vmUniqueId");
      if (text ? !value.isTextual() : !value.isBoolean()) {
        throw malformed(
            "vm-configuration." + field + " must be a " + (text ? "string" : "boolean"));
      }
      out.put(VM_CONFIGURATION.get(field), text ? value.asText() : value.asBoolean());
    }
    return out;
  }

  private static Optional<byte[]> userData(JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isTextual() || !(node.asText().isEmpty() || Hex.isHex(node.asText()))) {
      throw malformed("user-data in the HCL runtime data must be a hex string");
    }
    return Optional.of(Hex.decode(node.asText()));
  }

  private static ProblemException malformed(String detail) {
    return new ProblemException(EvidenceProblem.EVIDENCE_MALFORMED, detail);
  }

  private static ProblemException keyMalformed(String detail) {
    return new ProblemException(EvidenceProblem.KEY_MALFORMED, detail);
  }
}
