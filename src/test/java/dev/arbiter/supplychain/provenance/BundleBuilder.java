// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import static dev.arbiter.supplychain.provenance.SigstoreFixture.b64;
import static dev.arbiter.supplychain.provenance.SigstoreFixture.der;
import static dev.arbiter.supplychain.provenance.SigstoreFixture.hex;
import static dev.arbiter.supplychain.provenance.SigstoreFixture.sign;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.provenance.dsse.Pae;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds Sigstore bundles signed by a {@link SigstoreFixture}, logging whatever it is told to (so
 * each test can break exactly one rule while everything else stays consistent).
 */
final class BundleBuilder {
  final SigstoreFixture fixture;
  String mediaType = "application/vnd.dev.sigstore.bundle+json;version=0.2";
  String payloadType = "application/vnd.in-toto+json";
  byte[] payload =
      Statements.slsaV1("app.bin", "ab".repeat(32), "https://builder.test/v1")
          .getBytes(StandardCharsets.UTF_8);
  SigstoreFixture.LeafSpec leafSpec = new SigstoreFixture.LeafSpec();
  boolean tamperSignature;
  boolean tamperSet;
  boolean tamperProof;
  boolean tamperCheckpoint;
  boolean omitSet;
  boolean omitProof;
  boolean omitTlog;
  boolean logOtherPayload;
  boolean unknownLog;
  boolean messageSignature;
  long integratedTime = SigstoreFixture.INTEGRATED.getEpochSecond();

  BundleBuilder(SigstoreFixture fixture) {
    this.fixture = fixture;
  }

  byte[] build() {
    SigstoreFixture.Leaf leaf = fixture.leaf(leafSpec);
    boolean v03 = mediaType.contains("0.3");
    ObjectNode bundle = Json.mapper().createObjectNode();
    bundle.put("mediaType", mediaType);
    ObjectNode material = bundle.putObject("verificationMaterial");
    if (v03) {
      material.putObject("certificate").put("rawBytes", b64(der(leaf.certificate())));
    } else {
      material
          .putObject("x509CertificateChain")
          .putArray("certificates")
          .addObject()
          .put("rawBytes", b64(der(leaf.certificate())));
    }
    byte[] signature;
    ObjectNode body;
    if (messageSignature) {
      byte[] digest = Digests.sha256(payload);
      signature = sign(leaf.key().getPrivate(), payload);
      if (tamperSignature) {
        signature[signature.length - 1] ^= 1;
      }
      ObjectNode message = bundle.putObject("messageSignature");
      message.putObject("messageDigest").put("algorithm", "SHA2_256").put("digest", b64(digest));
      message.put("signature", b64(signature));
      body = hashedRekord(digest, signature, leaf);
    } else {
      signature = sign(leaf.key().getPrivate(), Pae.encode(payloadType, payload));
      if (tamperSignature) {
        signature[signature.length - 1] ^= 1;
      }
      ObjectNode envelope = bundle.putObject("dsseEnvelope");
      envelope.put("payload", b64(payload)).put("payloadType", payloadType);
      envelope.putArray("signatures").addObject().put("sig", b64(signature)).put("keyid", "");
      byte[] logged = logOtherPayload ? "other".getBytes(StandardCharsets.UTF_8) : payload;
      body = v03 ? dsseBody(logged, signature, leaf) : intotoBody(logged, signature, leaf);
    }
    ArrayNode entries = material.putArray("tlogEntries");
    if (!omitTlog) {
      entries.add(
          entry(
              Json.write(body).getBytes(StandardCharsets.UTF_8),
              body.path("kind").asText(),
              body.path("apiVersion").asText()));
    }
    return Json.write(bundle).getBytes(StandardCharsets.UTF_8);
  }

  private ObjectNode intotoBody(byte[] logged, byte[] signature, SigstoreFixture.Leaf leaf) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("apiVersion", "0.0.2").put("kind", "intoto");
    ObjectNode content = body.putObject("spec").putObject("content");
    ObjectNode envelope = content.putObject("envelope");
    envelope.put("payloadType", payloadType);
    envelope
        .putArray("signatures")
        .addObject()
        .put(
            "publicKey",
            b64(SigstoreFixture.pem(leaf.certificate()).getBytes(StandardCharsets.US_ASCII)))
        .put("sig", b64(b64(signature).getBytes(StandardCharsets.US_ASCII)));
    content
        .putObject("payloadHash")
        .put("algorithm", "sha256")
        .put("value", hex(Digests.sha256(logged)));
    return body;
  }

  private ObjectNode dsseBody(byte[] logged, byte[] signature, SigstoreFixture.Leaf leaf) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("apiVersion", "0.0.1").put("kind", "dsse");
    ObjectNode spec = body.putObject("spec");
    spec.putObject("payloadHash")
        .put("algorithm", "sha256")
        .put("value", hex(Digests.sha256(logged)));
    spec.putArray("signatures")
        .addObject()
        .put("signature", b64(signature))
        .put(
            "verifier",
            b64(SigstoreFixture.pem(leaf.certificate()).getBytes(StandardCharsets.US_ASCII)));
    return body;
  }

  private ObjectNode hashedRekord(byte[] digest, byte[] signature, SigstoreFixture.Leaf leaf) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("apiVersion", "0.0.1").put("kind", "hashedrekord");
    ObjectNode spec = body.putObject("spec");
    spec.putObject("data")
        .putObject("hash")
        .put("algorithm", "sha256")
        .put("value", hex(logOtherPayload ? new byte[32] : digest));
    ObjectNode sig = spec.putObject("signature");
    sig.put("content", b64(signature));
    sig.putObject("publicKey")
        .put(
            "content",
            b64(SigstoreFixture.pem(leaf.certificate()).getBytes(StandardCharsets.US_ASCII)));
    return body;
  }

  private ObjectNode entry(byte[] body, String kind, String version) {
    byte[] logId =
        unknownLog ? new byte[32] : Digests.sha256(fixture.rekorKey.getPublic().getEncoded());
    long logIndex = 4242;
    ObjectNode entry = Json.mapper().createObjectNode();
    entry.put("logIndex", Long.toString(logIndex));
    entry.putObject("logId").put("keyId", b64(logId));
    entry.putObject("kindVersion").put("kind", kind).put("version", version);
    entry.put("integratedTime", Long.toString(integratedTime));
    String bodyText = b64(body);
    if (!omitSet) {
      String set =
          "{\"body\":\""
              + bodyText
              + "\",\"integratedTime\":"
              + integratedTime
              + ",\"logID\":\""
              + hex(logId)
              + "\",\"logIndex\":"
              + logIndex
              + "}";
      byte[] signature = sign(fixture.rekorKey.getPrivate(), set.getBytes(StandardCharsets.UTF_8));
      if (tamperSet) {
        signature[signature.length - 1] ^= 1;
      }
      entry.putObject("inclusionPromise").put("signedEntryTimestamp", b64(signature));
    }
    if (!omitProof) {
      entry.set("inclusionProof", proof(body, logId));
    } else {
      entry.putNull("inclusionProof");
    }
    entry.put("canonicalizedBody", bodyText);
    return entry;
  }

  /** A tree of 7 leaves with the entry at index 5. */
  private ObjectNode proof(byte[] body, byte[] logId) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      leaves.add(i == 5 ? body : ("leaf " + i).getBytes(StandardCharsets.UTF_8));
    }
    byte[] root = mth(leaves);
    List<byte[]> path = path(5, leaves);
    if (tamperProof) {
      path.get(0)[0] ^= 1;
    }
    ObjectNode proof = Json.mapper().createObjectNode();
    proof.put("logIndex", "5").put("treeSize", "7").put("rootHash", b64(root));
    ArrayNode hashes = proof.putArray("hashes");
    path.forEach(hash -> hashes.add(b64(hash)));
    String note = "rekor.test - 1\n7\n" + b64(root) + "\n";
    byte[] signature = sign(fixture.rekorKey.getPrivate(), note.getBytes(StandardCharsets.UTF_8));
    if (tamperCheckpoint) {
      signature[signature.length - 1] ^= 1;
    }
    byte[] blob = new byte[4 + signature.length];
    System.arraycopy(logId, 0, blob, 0, 4);
    System.arraycopy(signature, 0, blob, 4, signature.length);
    proof.putObject("checkpoint").put("envelope", note + "\n\u2014 rekor.test " + b64(blob) + "\n");
    return proof;
  }

  private static byte[] mth(List<byte[]> leaves) {
    if (leaves.size() == 1) {
      return hash(new byte[] {0}, leaves.get(0));
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    return hash(new byte[] {1}, mth(leaves.subList(0, k)), mth(leaves.subList(k, leaves.size())));
  }

  private static List<byte[]> path(int m, List<byte[]> leaves) {
    if (leaves.size() == 1) {
      return new ArrayList<>();
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    List<byte[]> path;
    if (m < k) {
      path = path(m, leaves.subList(0, k));
      path.add(mth(leaves.subList(k, leaves.size())));
    } else {
      path = path(m - k, leaves.subList(k, leaves.size()));
      path.add(mth(leaves.subList(0, k)));
    }
    return path;
  }

  private static byte[] hash(byte[]... parts) {
    MessageDigest digest = dev.arbiter.crypto.Providers.digest("SHA-256");
    Arrays.stream(parts).forEach(digest::update);
    return digest.digest();
  }
}
