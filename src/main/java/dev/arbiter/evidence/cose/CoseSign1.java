// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cose;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.ProblemException;
import java.security.PublicKey;
import java.util.List;

/**
 * A decoded COSE_Sign1 structure (RFC 9052 §4.2) with an attached payload. Decoding is strict: the
 * item is an array of exactly four elements, the protected header is a byte string holding a map
 * (or empty), the unprotected header is a map, the payload and signature are byte strings, the
 * algorithm is in the protected header and is one of {@link CoseAlgorithm}, and no critical header
 * ({@code crit}, label 2) is present since none is understood. Verification is over {@code
 * Sig_structure = ["Signature1", protected, h'', payload]} (no external AAD).
 *
 * @param protectedBytes the protected header exactly as encoded (it is signed as is)
 * @param algorithm the signature algorithm named in the protected header
 * @param protectedHeader the decoded protected header
 * @param unprotected the unprotected header map
 * @param payload the attached payload
 * @param signature the signature {@code r || s}
 * @param tagged whether the item carried tag 18
 */
public record CoseSign1(
    byte[] protectedBytes,
    CoseAlgorithm algorithm,
    CborMap protectedHeader,
    CBORObject unprotected,
    byte[] payload,
    byte[] signature,
    boolean tagged) {

  /** The CBOR tag of COSE_Sign1_Tagged. */
  public static final int TAG = 18;

  /** Which tagging a format expects. */
  public enum Tagging {
    /** Must carry tag 18 (CCA, PSA). */
    TAGGED,
    /** Either bare or with tag 18 (Nitro's NSM emits it bare). */
    TAGGED_OR_UNTAGGED
  }

  /** Decodes a COSE_Sign1 from bytes, with {@link Cbor#decode}'s strictness and size bound. */
  public static CoseSign1 decode(byte[] bytes, int maxBytes, Tagging tagging, String what) {
    return decode(Cbor.decode(bytes, maxBytes, what), tagging, what);
  }

  /** Decodes a COSE_Sign1 from an already decoded item. */
  public static CoseSign1 decode(CBORObject item, Tagging tagging, String what) {
    boolean tagged = item.isTagged();
    if (tagged) {
      if (item.getTagCount() != 1 || !item.HasMostOuterTag(TAG)) {
        throw Cbor.malformed(
            what
                + " carries CBOR tag "
                + item.getMostOuterTag()
                + ", expected "
                + TAG
                + " (COSE_Sign1)");
      }
      item = item.UntagOne();
    } else if (tagging == Tagging.TAGGED) {
      throw Cbor.malformed(what + " lacks CBOR tag " + TAG + " (COSE_Sign1_Tagged)");
    }
    List<CBORObject> parts = CborMap.Values.array(item, what, 4, 4);
    byte[] protectedBytes = CborMap.Values.bytes(parts.get(0), what + " protected header", 0, 4096);
    CborMap header =
        protectedBytes.length == 0
            ? CborMap.of(CBORObject.NewMap(), what + " protected header")
            : CborMap.decode(protectedBytes, 4096, what + " protected header");
    CBORObject unprotected = parts.get(1);
    if (unprotected.isNull() && !unprotected.isTagged()) {
      // quirk of some producers (seen in nitrite's synthetic Nitro document): nil instead of {};
      // the unprotected header is not signed and never read, so it is treated as empty
      unprotected = CBORObject.NewMap();
    }
    CborMap.of(unprotected, what + " unprotected header");
    if (parts.get(2).getType() != CBORType.ByteString) {
      throw Cbor.malformed(what + " payload is not an attached byte string");
    }
    byte[] payload = CborMap.Values.bytes(parts.get(2), what + " payload", 1, Integer.MAX_VALUE);
    byte[] signature = CborMap.Values.bytes(parts.get(3), what + " signature", 1, 1024);
    if (header.has(2)) {
      throw new ProblemException(
          EvidenceProblem.UNSUPPORTED_VERSION,
          what + " has critical headers, none of which is supported");
    }
    if (!header.has(1)) {
      throw new ProblemException(
          EvidenceProblem.UNSUPPORTED_VERSION, what + " has no algorithm in its protected header");
    }
    CBORObject alg = header.require(1, "alg");
    if (alg.getType() != CBORType.Integer || alg.isTagged() || !alg.CanValueFitInInt64()) {
      throw new ProblemException(
          EvidenceProblem.UNSUPPORTED_VERSION, what + " algorithm is not a registered integer id");
    }
    CoseAlgorithm algorithm =
        CoseAlgorithm.byId(alg.AsInt64Value())
            .orElseThrow(() ->
                new ProblemException(
                    EvidenceProblem.UNSUPPORTED_VERSION,
                    what
                        + " uses COSE algorithm "
                        + alg.AsInt64Value()
                        + "; supported: ES256, ES384, ES512"));
    return new CoseSign1(
        protectedBytes, algorithm, header, unprotected, payload, signature, tagged);
  }

  /** The bytes the signature covers. */
  public byte[] toBeSigned() {
    CBORObject structure = CBORObject.NewArray();
    structure.Add(CBORObject.FromObject("Signature1"));
    structure.Add(CBORObject.FromObject(protectedBytes));
    structure.Add(CBORObject.FromObject(new byte[0]));
    structure.Add(CBORObject.FromObject(payload));
    return structure.EncodeToBytes();
  }

  /** True when the signature verifies under {@code key} with the header's algorithm. */
  public boolean verify(PublicKey key) {
    return algorithm.verify(key, toBeSigned(), signature);
  }
}
