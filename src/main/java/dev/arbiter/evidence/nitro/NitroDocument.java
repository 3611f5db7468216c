// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nitro;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.cose.CborMap;
import dev.arbiter.evidence.cose.CoseAlgorithm;
import dev.arbiter.evidence.cose.CoseSign1;
import dev.arbiter.problem.ProblemException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Nitro Secure Module attestation document: the COSE_Sign1 and its decoded payload (AWS "Nitro
 * Enclaves attestation process", {@code AttestationDocument}). Parsing is strict: every field has
 * its CBOR type and size bound, unknown fields are refused, PCR values have the digest's length.
 *
 * @param cose the signed envelope
 * @param moduleId the enclave's module id
 * @param digest the PCR digest algorithm ({@code SHA384})
 * @param timestamp milliseconds since the epoch, as the NSM reports it
 * @param pcrs PCR index (0..31) to value
 * @param certificate the DER leaf certificate whose key signs the document
 * @param cabundle DER CA certificates, root first (may be empty; the chain check then fails)
 */
record NitroDocument(
    CoseSign1 cose,
    String moduleId,
    String digest,
    long timestamp,
    SortedMap<Integer, byte[]> pcrs,
    byte[] certificate,
    List<byte[]> cabundle,
    Optional<byte[]> publicKey,
    Optional<byte[]> userData,
    Optional<byte[]> nonce) {

  /** Largest accepted document (real ones are 4-8 KiB). */
  static final int MAX_BYTES = 32 * 1024;

  /**
   * Largest accepted user_data, nonce and public_key (AWS documents 512 bytes for the first two;
   * NSM emits up to 1024).
   */
  static final int MAX_FIELD = 1024;

  private static final Set<String> FIELDS =
      Set.of(
          "module_id",
          "digest",
          "timestamp",
          "pcrs",
          "certificate",
          "cabundle",
          "public_key",
          "user_data",
          "nonce");

  static NitroDocument parse(byte[] evidence) {
    CoseSign1 cose =
        CoseSign1.decode(
            evidence,
            MAX_BYTES,
            CoseSign1.Tagging.TAGGED_OR_UNTAGGED,
            "Nitro attestation document");
    if (cose.algorithm() != CoseAlgorithm.ES384) {
      throw new ProblemException(
          EvidenceProblem.UNSUPPORTED_VERSION,
          "Nitro attestation document is signed with " + cose.algorithm() + ", expected ES384");
    }
    CborMap payload = CborMap.decode(cose.payload(), MAX_BYTES, "Nitro payload");
    payload.rejectUnknown(FIELDS);
    String moduleId = payload.text("module_id", "module_id", 256);
    if (moduleId.isEmpty()) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED, "Nitro payload module_id is empty");
    }
    String digest = payload.text("digest", "digest", 16);
    int pcrLength =
        switch (digest) {
          case "SHA256" -> 32;
          case "SHA384" -> 48;
          case "SHA512" -> 64;
          default ->
              throw new ProblemException(
                  EvidenceProblem.UNSUPPORTED_VERSION,
                  "Nitro payload digest '" + digest + "' is not supported");
        };
    long timestamp = payload.integer("timestamp", "timestamp");
    if (timestamp <= 0) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED, "Nitro payload timestamp is not positive");
    }
    SortedMap<Integer, byte[]> pcrs = pcrs(payload.nested("pcrs", "pcrs"), pcrLength);
    byte[] certificate = payload.bytes("certificate", "certificate", 1, 4096);
    List<byte[]> cabundle = new ArrayList<>();
    CBORObject bundle = payload.require("cabundle", "cabundle");
    if (!isNull(bundle)) {
      for (CBORObject entry : CborMap.Values.array(bundle, "Nitro payload cabundle", 0, 8)) {
        cabundle.add(CborMap.Values.bytes(entry, "Nitro payload cabundle entry", 1, 4096));
      }
    }
    return new NitroDocument(
        cose,
        moduleId,
        digest,
        timestamp,
        pcrs,
        certificate,
        List.copyOf(cabundle),
        nullable(payload, "public_key"),
        nullable(payload, "user_data"),
        nullable(payload, "nonce"));
  }

  private static SortedMap<Integer, byte[]> pcrs(CborMap map, int length) {
    SortedMap<Integer, byte[]> out = new TreeMap<>();
    if (map.map().size() == 0 || map.map().size() > 32) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED,
          "Nitro payload has " + map.map().size() + " PCRs, expected 1..32");
    }
    for (CBORObject key : map.map().getKeys()) {
      long index = CborMap.Values.integer(key, "Nitro PCR index");
      if (index < 0 || index > 31) {
        throw new ProblemException(
            EvidenceProblem.EVIDENCE_MALFORMED, "Nitro PCR index " + index + " is outside 0..31");
      }
      out.put(
          (int) index,
          CborMap.Values.bytes(map.map().get(key), "Nitro PCR" + index, length, length));
    }
    return Collections.unmodifiableSortedMap(out);
  }

  private static Optional<byte[]> nullable(CborMap payload, String name) {
    Optional<CBORObject> value = payload.optional(name);
    if (value.isEmpty() || isNull(value.get())) {
      return Optional.empty();
    }
    return Optional.of(CborMap.Values.bytes(value.get(), "Nitro payload " + name, 0, MAX_FIELD));
  }

  private static boolean isNull(CBORObject value) {
    return value.getType() == CBORType.SimpleValue && value.isNull() && !value.isTagged();
  }

  /** Debug-mode enclaves report PCR0, PCR1 and PCR2 as all zeros. */
  boolean debugMode() {
    for (int index = 0; index <= 2; index++) {
      byte[] value = pcrs.get(index);
      if (value == null) {
        return false;
      }
      for (byte b : value) {
        if (b != 0) {
          return false;
        }
      }
    }
    return true;
  }
}
