// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cca;

import com.upokecenter.cbor.CBORObject;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.cose.Cbor;
import dev.arbiter.evidence.cose.CborMap;
import dev.arbiter.evidence.cose.CoseSign1;
import dev.arbiter.problem.ProblemException;
import java.util.Set;

/**
 * An Arm CCA attestation token (draft-ffm-rats-cca-token §4): CBOR tag 399 over the collection map
 * {@code {44234: bstr platform token, 44241: bstr realm token}}, each a tagged COSE_Sign1.
 *
 * @param platformCose the platform token, signed by the CPAK
 * @param platform its claims
 * @param realmCose the realm token, signed by the RAK
 * @param realm its claims
 */
record CcaToken(CoseSign1 platformCose, CcaPlatform platform, CoseSign1 realmCose, CcaRealm realm) {
  static final int TAG = 399;
  static final int PLATFORM = 44234;
  static final int REALM = 44241;
  static final int MAX_BYTES = 64 * 1024;

  static CcaToken parse(byte[] evidence) {
    CBORObject outer = Cbor.decode(evidence, MAX_BYTES, "CCA token");
    if (!outer.isTagged() || outer.getTagCount() != 1 || !outer.HasMostOuterTag(TAG)) {
      throw new ProblemException(
          EvidenceProblem.EVIDENCE_MALFORMED,
          "CCA token is not wrapped in CBOR tag "
              + TAG
              + (outer.isTagged() ? " (found tag " + outer.getMostOuterTag() + ")" : ""));
    }
    CborMap collection = CborMap.of(outer.UntagOne(), "CCA token collection");
    collection.rejectUnknown(Set.of(PLATFORM, REALM));
    byte[] platformBytes = collection.bytes(PLATFORM, "platform token", 1, MAX_BYTES);
    byte[] realmBytes = collection.bytes(REALM, "realm token", 1, MAX_BYTES);
    CoseSign1 platformCose =
        CoseSign1.decode(platformBytes, MAX_BYTES, CoseSign1.Tagging.TAGGED, "CCA platform token");
    CoseSign1 realmCose =
        CoseSign1.decode(realmBytes, MAX_BYTES, CoseSign1.Tagging.TAGGED, "CCA realm token");
    CcaPlatform platform =
        CcaPlatform.parse(CborMap.decode(platformCose.payload(), MAX_BYTES, "CCA platform claims"));
    CcaRealm realm =
        CcaRealm.parse(CborMap.decode(realmCose.payload(), MAX_BYTES, "CCA realm claims"));
    return new CcaToken(platformCose, platform, realmCose, realm);
  }
}
