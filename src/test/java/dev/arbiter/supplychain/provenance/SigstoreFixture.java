// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * A self-made Sigstore instance for unit tests (test-only keys, generated per run): a Fulcio-like
 * CA (P-384 root and intermediate), a Rekor log key and a CT log key (P-256), the matching
 * trusted_root.json, and issuance of leaf certificates with embedded SCTs.
 */
final class SigstoreFixture {
  static final Instant INTEGRATED = Instant.parse("2025-06-01T12:00:00Z");
  static final String WORKFLOW =
      "https://github.com/example/repo/.github/workflows/release.yml@refs/tags/v1.0.0";
  static final String ISSUER = "https://token.actions.githubusercontent.com";

  final KeyPair rootKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate root =
      CertBuilder.subject("CN=test-sigstore,O=arbiter.test", rootKey.getPublic())
          .selfSigned(rootKey.getPrivate())
          .ca(1)
          .build();
  final KeyPair intermediateKey = CertBuilder.ecKeyPair("secp384r1");
  final X509Certificate intermediate =
      CertBuilder.subject(
              "CN=test-sigstore-intermediate,O=arbiter.test", intermediateKey.getPublic())
          .issuer(root, rootKey.getPrivate())
          .ca(0)
          .build();
  final KeyPair rekorKey = CertBuilder.ecKeyPair("secp256r1");
  final KeyPair ctKey = CertBuilder.ecKeyPair("secp256r1");

  /** The trusted root that trusts this fixture's CA and logs. */
  byte[] trustedRoot() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
    root.putArray("tlogs").add(log(rekorKey.getPublic(), "https://rekor.test"));
    root.putArray("ctlogs").add(log(ctKey.getPublic(), "https://ct.test"));
    ObjectNode ca = root.putArray("certificateAuthorities").addObject();
    ca.put("uri", "https://fulcio.test");
    ArrayNode chain = ca.putObject("certChain").putArray("certificates");
    chain.addObject().put("rawBytes", b64(der(intermediate)));
    chain.addObject().put("rawBytes", b64(der(this.root)));
    ca.putObject("validFor").put("start", "2020-01-01T00:00:00Z");
    return Json.write(root).getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode log(PublicKey key, String url) {
    ObjectNode log = Json.mapper().createObjectNode();
    log.put("baseUrl", url).put("hashAlgorithm", "SHA2_256");
    ObjectNode publicKey = log.putObject("publicKey");
    publicKey.put("rawBytes", b64(key.getEncoded())).put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
    publicKey.putObject("validFor").put("start", "2020-01-01T00:00:00Z");
    log.putObject("logId").put("keyId", b64(Digests.sha256(key.getEncoded())));
    return log;
  }

  /** Knobs for a leaf certificate. */
  static final class LeafSpec {
    String identity = WORKFLOW;
    String issuer = ISSUER;
    Instant notBefore = INTEGRATED.minusSeconds(30);
    boolean codeSigning = true;
    boolean sct = true;
    PrivateKey ctSigner;
    X509Certificate caCert;
    PrivateKey caKey;
  }

  record Leaf(KeyPair key, X509Certificate certificate) {}

  Leaf leaf(LeafSpec spec) {
    KeyPair key = CertBuilder.ecKeyPair("secp256r1");
    X509Certificate caCert = spec.caCert != null ? spec.caCert : intermediate;
    PrivateKey caKey = spec.caKey != null ? spec.caKey : intermediateKey.getPrivate();
    BigInteger serial = BigInteger.valueOf(System.nanoTime());
    X509Certificate precert = leafBuilder(spec, key, caCert, caKey, serial).build();
    if (!spec.sct) {
      return new Leaf(key, precert);
    }
    byte[] sct = sct(precert, caCert, spec.ctSigner != null ? spec.ctSigner : ctKey.getPrivate());
    ByteBuffer list =
        ByteBuffer.allocate(4 + sct.length)
            .putShort((short) (sct.length + 2))
            .putShort((short) sct.length)
            .put(sct);
    X509Certificate leaf =
        leafBuilder(spec, key, caCert, caKey, serial)
            .extension("1.3.6.1.4.1.11129.2.4.2", new DEROctetString(list.array()))
            .build();
    return new Leaf(key, leaf);
  }

  private static CertBuilder leafBuilder(
      LeafSpec spec, KeyPair key, X509Certificate caCert, PrivateKey caKey, BigInteger serial) {
    CertBuilder builder =
        CertBuilder.subject("O=sigstore.dev", key.getPublic())
            .issuer(caCert, caKey)
            .serial(serial)
            .validity(spec.notBefore, spec.notBefore.plusSeconds(600));
    if (spec.codeSigning) {
      builder.extension("2.5.29.37", new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    }
    int type =
        spec.identity.contains("@") && !spec.identity.contains("/")
            ? GeneralName.rfc822Name
            : GeneralName.uniformResourceIdentifier;
    builder.extension("2.5.29.17", new GeneralNames(new GeneralName(type, spec.identity)));
    builder.extension("1.3.6.1.4.1.57264.1.8", new DERUTF8String(spec.issuer));
    return builder;
  }

  private byte[] sct(X509Certificate precert, X509Certificate issuer, PrivateKey ctSigner) {
    long timestamp = INTEGRATED.minusSeconds(29).toEpochMilli();
    byte[] tbs = dev.arbiter.supplychain.provenance.sigstore.SctAccess.precertTbs(precert);
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.writeBytes(new byte[] {0, 0});
    signed.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
    signed.writeBytes(new byte[] {0, 1});
    signed.writeBytes(Digests.sha256(issuer.getPublicKey().getEncoded()));
    signed.writeBytes(
        new byte[] {(byte) (tbs.length >>> 16), (byte) (tbs.length >>> 8), (byte) tbs.length});
    signed.writeBytes(tbs);
    signed.writeBytes(new byte[] {0, 0});
    byte[] signature = sign(ctSigner, signed.toByteArray());
    ByteArrayOutputStream sct = new ByteArrayOutputStream();
    sct.write(0);
    sct.writeBytes(Digests.sha256(ctKey.getPublic().getEncoded()));
    sct.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
    sct.writeBytes(
        new byte[] {0, 0, 4, 3, (byte) (signature.length >>> 8), (byte) signature.length});
    sct.writeBytes(signature);
    return sct.toByteArray();
  }

  static byte[] sign(PrivateKey key, byte[] data) {
    try {
      String algorithm =
          switch (key.getAlgorithm()) {
            case "EC" ->
                ((java.security.interfaces.ECKey) key)
                            .getParams()
                            .getCurve()
                            .getField()
                            .getFieldSize()
                        > 256
                    ? "SHA384withECDSA"
                    : "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
          };
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(data);
      return signer.sign();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(X509Certificate certificate) {
    return Certificates.toPem(certificate);
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static String hex(byte[] bytes) {
    return Hex.encode(bytes);
  }
}
