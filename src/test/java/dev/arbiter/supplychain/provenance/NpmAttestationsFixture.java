// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.provenance.dsse.Pae;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * A generated npm attestations document (a keyed publish attestation signed by a registry key and a
 * keyless SLSA provenance bundle from a generated Sigstore instance), for tests outside this
 * package (the CLI).
 */
public final class NpmAttestationsFixture {
  public static final String SHA256 = "ab".repeat(32);
  public static final String PUBLISH =
      "https://github.com/npm/attestation/tree/main/specs/publish/v0.1";
  public static final String IDENTITY = SigstoreFixture.WORKFLOW;
  public static final String ISSUER = SigstoreFixture.ISSUER;

  private final SigstoreFixture sigstore = new SigstoreFixture();
  private final KeyPair registry = CertBuilder.ecKeyPair("secp256r1");

  /** The Sigstore trusted root of the generated instance. */
  public byte[] trustedRoot() {
    return sigstore.trustedRoot();
  }

  /** The registry's public key (verifies the publish attestation). */
  public java.security.PublicKey registryPublicKey() {
    return registry.getPublic();
  }

  /** The registry key as PEM SubjectPublicKeyInfo. */
  public String registryKeyPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(registry.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The attestations document; {@code corruptSlsaSignature} breaks the second item's signature. */
  public byte[] attestations(boolean corruptSlsaSignature) {
    return attestations(b -> b.tamperSignature = corruptSlsaSignature);
  }

  /** The attestations document with the SLSA bundle built as {@code slsa} configures it. */
  byte[] attestations(Consumer<BundleBuilder> slsa) {
    try {
      String statement =
          "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"app.bin\",\"digest\":{\"sha256\":\""
              + SHA256
              + "\"}}],\"predicateType\":\""
              + PUBLISH
              + "\",\"predicate\":{\"name\":\"app\",\"version\":\"1.0.0\"}}";
      byte[] payload = statement.getBytes(StandardCharsets.UTF_8);
      byte[] publish =
          DsseEnvelopeTest.envelope(
              "application/vnd.in-toto+json",
              payload,
              null,
              DsseEnvelopeTest.sign(
                  "SHA256withECDSA",
                  registry.getPrivate(),
                  Pae.encode("application/vnd.in-toto+json", payload)),
              false);
      BundleBuilder builder = new BundleBuilder(sigstore);
      slsa.accept(builder);
      ObjectNode file = Json.mapper().createObjectNode();
      ArrayNode list = file.putArray("attestations");
      list.addObject().put("predicateType", PUBLISH).set("bundle", Json.readTree(publish));
      list.addObject()
          .put("predicateType", "https://slsa.dev/provenance/v1")
          .set("bundle", Json.readTree(builder.build()));
      return Json.write(file).getBytes(StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
