// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.internal.Encodings;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.dsse.Envelope;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed (not yet verified) Sigstore bundle, v0.1 to v0.3, in its protobuf-JSON form.
 *
 * @param version the bundle version from {@code mediaType}
 * @param certificates the signing certificate chain, leaf first (empty for keyed bundles)
 * @param publicKeyHint the {@code publicKey.hint} of a keyed bundle (null otherwise)
 * @param tlogEntries the transparency-log entries
 * @param envelope the DSSE envelope, or null for a message-signature bundle
 * @param messageSignature the message signature, or null for a DSSE bundle
 */
public record Bundle(
    Version version,
    List<X509Certificate> certificates,
    String publicKeyHint,
    List<TlogEntry> tlogEntries,
    Envelope envelope,
    MessageSignature messageSignature) {

  /** Bundle versions; v0.2 and later require inclusion proofs. */
  public enum Version {
    V01,
    V02,
    V03
  }

  /** A {@code messageSignature}: the artifact digest and a signature over the artifact. */
  public record MessageSignature(String algorithm, byte[] digest, byte[] signature) {}

  public Bundle {
    certificates = List.copyOf(certificates);
    tlogEntries = List.copyOf(tlogEntries);
  }

  /** True when the JSON looks like a bundle (has a sigstore bundle {@code mediaType}). */
  public static boolean looksLike(JsonNode node) {
    return node.isObject()
        && node.path("mediaType").asText("").startsWith("application/vnd.dev.sigstore.bundle");
  }

  /**
   * Parses a bundle.
   *
   * @throws ProblemException {@link ProvenanceProblem#PROVENANCE_MEDIA_TYPE_UNSUPPORTED} for an
   *     unknown version, {@link ProvenanceProblem#PROVENANCE_MALFORMED} for a bad shape
   */
  public static Bundle parse(JsonNode node) {
    Version version = version(node.path("mediaType").asText(""));
    JsonNode material = node.path("verificationMaterial");
    if (!material.isObject()) {
      throw malformed("bundle has no verificationMaterial");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    String hint = null;
    if (material.hasNonNull("certificate")) {
      certificates.add(certificate(material.get("certificate")));
    } else if (material.hasNonNull("x509CertificateChain")) {
      for (JsonNode cert : material.get("x509CertificateChain").path("certificates")) {
        certificates.add(certificate(cert));
      }
      if (certificates.isEmpty()) {
        throw malformed("x509CertificateChain has no certificates");
      }
    } else if (material.hasNonNull("publicKey")) {
      hint = material.get("publicKey").path("hint").asText("");
    } else {
      throw malformed("verificationMaterial has no certificate, chain or publicKey");
    }
    List<TlogEntry> entries = new ArrayList<>();
    for (JsonNode entry : material.path("tlogEntries")) {
      entries.add(TlogEntry.parse(entry));
    }
    Envelope envelope = null;
    MessageSignature message = null;
    if (node.hasNonNull("dsseEnvelope")) {
      envelope = Envelope.parse(node.get("dsseEnvelope"));
    } else if (node.hasNonNull("messageSignature")) {
      JsonNode signature = node.get("messageSignature");
      message =
          new MessageSignature(
              signature.path("messageDigest").path("algorithm").asText(""),
              base64(signature.path("messageDigest").path("digest"), "messageDigest.digest"),
              base64(signature.path("signature"), "messageSignature.signature"));
    } else {
      throw malformed("bundle has neither dsseEnvelope nor messageSignature");
    }
    return new Bundle(version, certificates, hint, entries, envelope, message);
  }

  static Version version(String mediaType) {
    return switch (mediaType) {
      case "application/vnd.dev.sigstore.bundle+json;version=0.1" -> Version.V01;
      case "application/vnd.dev.sigstore.bundle+json;version=0.2" -> Version.V02;
      case "application/vnd.dev.sigstore.bundle+json;version=0.3",
          "application/vnd.dev.sigstore.bundle.v0.3+json" ->
          Version.V03;
      default ->
          throw new ProblemException(
              ProvenanceProblem.PROVENANCE_MEDIA_TYPE_UNSUPPORTED,
              "unsupported bundle mediaType '"
                  + (mediaType.length() > 80 ? mediaType.substring(0, 80) : mediaType)
                  + "'");
    };
  }

  private static X509Certificate certificate(JsonNode node) {
    try {
      return Certificates.parseDer(base64(node.path("rawBytes"), "certificate rawBytes"));
    } catch (CertificateException e) {
      throw malformed("bundle certificate cannot be parsed");
    }
  }

  static byte[] base64(JsonNode node, String field) {
    if (!node.isTextual()) {
      throw malformed("bundle field " + field + " is missing or not a string");
    }
    try {
      return Encodings.base64(node.asText());
    } catch (IllegalArgumentException e) {
      throw malformed("bundle field " + field + " is not base64: " + e.getMessage());
    }
  }

  static ProblemException malformed(String detail) {
    return new ProblemException(ProvenanceProblem.PROVENANCE_MALFORMED, detail);
  }
}
