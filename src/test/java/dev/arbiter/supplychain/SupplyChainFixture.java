// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.provenance.dsse.Pae;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Generates real supply-chain fixtures for server tests: SLSA v1 provenance Statements signed as
 * DSSE envelopes (ECDSA P-256 over the PAE) by per-builder test keys, CycloneDX SBOMs bound to an
 * artifact digest, and OSV records.
 */
final class SupplyChainFixture {
  static final String REPO = "https://github.com/example/app";
  static final String INTOTO = "application/vnd.in-toto+json";

  /** A builder: its id and its signing key. */
  record Builder(String id, KeyPair key) {
    static Builder create(String id) {
      return new Builder(id, CertBuilder.ecKeyPair("secp256r1"));
    }

    String publicPem() {
      return "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(key.getPublic().getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
    }

    /** A signed DSSE envelope of a SLSA v1 statement about {@code sha256}. */
    byte[] provenance(String sha256, String repository) {
      return envelope(INTOTO, statement(sha256, id, repository).getBytes(StandardCharsets.UTF_8));
    }

    byte[] envelope(String payloadType, byte[] payload) {
      try {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key.getPrivate());
        signer.update(Pae.encode(payloadType, payload));
        byte[] signature = signer.sign();
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("payloadType", payloadType)
            .put("payload", Base64.getEncoder().encodeToString(payload));
        node.putArray("signatures")
            .addObject()
            .put("keyid", "")
            .put("sig", Base64.getEncoder().encodeToString(signature));
        return Json.write(node).getBytes(StandardCharsets.UTF_8);
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private SupplyChainFixture() {}

  static String statement(String sha256, String builderId, String repository) {
    ObjectNode statement = Json.mapper().createObjectNode();
    statement.put("_type", "https://in-toto.io/Statement/v1");
    statement
        .putArray("subject")
        .addObject()
        .put("name", "app.tar")
        .putObject("digest")
        .put("sha256", sha256);
    statement.put("predicateType", "https://slsa.dev/provenance/v1");
    ObjectNode predicate = statement.putObject("predicate");
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", "https://example.test/build/v1");
    definition
        .putObject("externalParameters")
        .put("repository", repository)
        .put("ref", "refs/tags/v1.0.0");
    predicate.putObject("runDetails").putObject("builder").put("id", builderId);
    return Json.write(statement);
  }

  /** A random artifact digest (hex). */
  static String artifact(String seed) {
    return Hex.encode(Digests.sha256((seed + System.nanoTime()).getBytes(StandardCharsets.UTF_8)));
  }

  /** A CycloneDX 1.5 SBOM whose metadata.component carries {@code sha256}, with these purls. */
  static byte[] sbom(String sha256, List<String> purls) {
    ObjectNode bom = Json.mapper().createObjectNode();
    bom.put("bomFormat", "CycloneDX").put("specVersion", "1.5").put("version", 1);
    ObjectNode component = bom.putObject("metadata").putObject("component");
    component.put("type", "application").put("name", "app");
    component.putArray("hashes").addObject().put("alg", "SHA-256").put("content", sha256);
    ArrayNode components = bom.putArray("components");
    for (String purl : purls) {
      String nameVersion = purl.substring(purl.lastIndexOf('/') + 1);
      components
          .addObject()
          .put("type", "library")
          .put("name", nameVersion.split("@")[0])
          .put("version", nameVersion.split("@")[1])
          .put("purl", purl);
    }
    return Json.write(bom).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An OSV record for one npm package, introduced 0, fixed {@code fixed}, with a CVSS v3.1 vector.
   */
  static Map<String, Object> osv(String id, String npmPackage, String fixed, String cvssVector) {
    return Map.of(
        "id",
        id,
        "modified",
        "2026-01-02T00:00:00Z",
        "aliases",
        List.of("CVE-" + id.substring(id.length() - 4) + "-0001"),
        "severity",
        List.of(Map.of("type", "CVSS_V3", "score", cvssVector)),
        "affected",
        List.of(
            Map.of(
                "package",
                Map.of("ecosystem", "npm", "name", npmPackage),
                "ranges",
                List.of(
                    Map.of(
                        "type",
                        "SEMVER",
                        "events",
                        List.of(Map.of("introduced", "0"), Map.of("fixed", fixed)))))));
  }

  /** CVSS 3.1 9.8 (CRITICAL). */
  static final String CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

  /** CVSS 3.1 5.3 (MEDIUM). */
  static final String MEDIUM = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N";

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
