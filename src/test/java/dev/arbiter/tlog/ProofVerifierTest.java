// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.crypto.Ed25519Key;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Offline verification of checkpoints and proofs with only a pinned key. */
class ProofVerifierTest {
  private static final String ORIGIN = "arbiter.example/log";

  private CheckpointSigner signer;
  private List<LogEntry> entries;
  private List<byte[]> hashes;

  @BeforeEach
  void tree() {
    signer = new CheckpointSigner(ORIGIN, Ed25519Key.generate());
    entries = LogStoreTest.entries("v", 0, 13);
    hashes = LogStoreTest.hashes(entries);
  }

  private String checkpoint(int size) {
    return signer.sign(new Checkpoint(ORIGIN, size, Merkle.root(hashes.subList(0, size))));
  }

  private InclusionProof proof(int index, int size) {
    return InclusionProof.of(
        index,
        size,
        hashes.get(index),
        Merkle.inclusionProof(hashes, index, size),
        checkpoint(size));
  }

  @Test
  void verifyInclusion_genuineProof_isVerifiedWithTheCheckpoint() {
    for (int size = 1; size <= 13; size++) {
      for (int index = 0; index < size; index++) {
        InclusionProof proof = proof(index, size);
        Verification result =
            ProofVerifier.verifyInclusion(
                signer.verifierKey().encoded(),
                proof.checkpoint(),
                entries.get(index).leafText(),
                proof);
        assertThat(result)
            .isEqualTo(
                new Verification.Verified(
                    new Checkpoint(ORIGIN, size, Merkle.root(hashes.subList(0, size)))));
      }
    }
    InclusionProof proof = proof(4, 9);
    assertThat(
            ProofVerifier.forKey(signer.verifierKey().encoded())
                .verifyInclusion(proof, entries.get(4).leafText())
                .ok())
        .isTrue();
  }

  @Test
  void verifyInclusion_eachDefect_hasItsReason() {
    String key = signer.verifierKey().encoded();
    InclusionProof proof = proof(5, 11);
    String leaf = entries.get(5).leafText();
    String note = proof.checkpoint();

    assertThat(reason(ProofVerifier.verifyInclusion("nonsense", note, leaf, proof)))
        .isEqualTo(Verification.Reason.MALFORMED_KEY);
    String otherKey = new CheckpointSigner(ORIGIN, Ed25519Key.generate()).verifierKey().encoded();
    assertThat(reason(ProofVerifier.verifyInclusion(otherKey, note, leaf, proof)))
        .isEqualTo(Verification.Reason.UNKNOWN_KEY);
    assertThat(
            reason(
                ProofVerifier.verifyInclusion(key, note.replace("\n11\n", "\n12\n"), leaf, proof)))
        .isEqualTo(Verification.Reason.BAD_SIGNATURE);
    assertThat(reason(ProofVerifier.verifyInclusion(key, "garbage", leaf, proof)))
        .isEqualTo(Verification.Reason.MALFORMED_NOTE);
    ProofVerifier otherOrigin = new ProofVerifier(signer.verifierKey(), "arbiter.example/other");
    assertThat(reason(otherOrigin.verifyInclusion(note, leaf, proof)))
        .isEqualTo(Verification.Reason.WRONG_ORIGIN);

    assertThat(reason(ProofVerifier.verifyInclusion(key, checkpoint(12), leaf, proof)))
        .isEqualTo(Verification.Reason.TREE_SIZE_MISMATCH);
    assertThat(
            reason(ProofVerifier.verifyInclusion(key, note, leaf, with(proof, 11, proof.hashes()))))
        .isEqualTo(Verification.Reason.LEAF_INDEX_OUT_OF_RANGE);
    assertThat(reason(ProofVerifier.verifyInclusion(key, note, entries.get(6).leafText(), proof)))
        .isEqualTo(Verification.Reason.LEAF_HASH_MISMATCH);
    assertThat(reason(ProofVerifier.verifyInclusion(key, note, leaf + " ", proof)))
        .isEqualTo(Verification.Reason.LEAF_HASH_MISMATCH);
    assertThat(
            reason(ProofVerifier.verifyInclusion(key, note, leaf, with(proof, 4, proof.hashes()))))
        .isEqualTo(Verification.Reason.INCLUSION_FAILED);
    List<String> tampered = new ArrayList<>(proof.hashes());
    tampered.set(1, B64.encode(Merkle.emptyRoot()));
    assertThat(reason(ProofVerifier.verifyInclusion(key, note, leaf, with(proof, 5, tampered))))
        .isEqualTo(Verification.Reason.INCLUSION_FAILED);
    assertThat(
            reason(
                ProofVerifier.verifyInclusion(
                    key,
                    note,
                    leaf,
                    with(proof, 5, proof.hashes().subList(1, proof.hashes().size())))))
        .isEqualTo(Verification.Reason.INCLUSION_FAILED);
    tampered.set(1, "not base64!");
    assertThat(reason(ProofVerifier.verifyInclusion(key, note, leaf, with(proof, 5, tampered))))
        .isEqualTo(Verification.Reason.MALFORMED_PROOF);
    tampered.set(1, B64.encode(new byte[31]));
    assertThat(reason(ProofVerifier.verifyInclusion(key, note, leaf, with(proof, 5, tampered))))
        .isEqualTo(Verification.Reason.MALFORMED_PROOF);
    InclusionProof noCheckpoint = new InclusionProof(5, 11, proof.leafHash(), proof.hashes(), null);
    assertThat(reason(ProofVerifier.forKey(key).verifyInclusion(noCheckpoint, leaf)))
        .isEqualTo(Verification.Reason.MALFORMED_PROOF);
  }

  @Test
  void verifyConsistency_checkpointsOfOneTree_verify_otherwiseFail() {
    ProofVerifier verifier = ProofVerifier.forKey(signer.verifierKey().encoded());
    for (int newSize = 1; newSize <= 13; newSize++) {
      for (int oldSize = 1; oldSize <= newSize; oldSize++) {
        ConsistencyProof proof =
            ConsistencyProof.of(
                oldSize, newSize, Merkle.consistencyProof(hashes, oldSize, newSize));
        assertThat(verifier.verifyConsistency(checkpoint(oldSize), checkpoint(newSize), proof).ok())
            .as("%d -> %d", oldSize, newSize)
            .isTrue();
      }
    }
    ConsistencyProof proof = ConsistencyProof.of(5, 9, Merkle.consistencyProof(hashes, 5, 9));
    assertThat(reason(verifier.verifyConsistency(checkpoint(5), checkpoint(10), proof)))
        .isEqualTo(Verification.Reason.TREE_SIZE_MISMATCH);
    assertThat(reason(verifier.verifyConsistency(checkpoint(9), checkpoint(5), proof)))
        .isEqualTo(Verification.Reason.TREE_SIZE_MISMATCH);
    // a fork: the same sizes over a history where leaf 2 differs
    List<byte[]> forked = new ArrayList<>(hashes);
    forked.set(2, Merkle.leafHash(new byte[] {9}));
    String forkedNine = signer.sign(new Checkpoint(ORIGIN, 9, Merkle.root(forked.subList(0, 9))));
    assertThat(reason(verifier.verifyConsistency(checkpoint(5), forkedNine, proof)))
        .isEqualTo(Verification.Reason.CONSISTENCY_FAILED);
    String otherKeyNote =
        new CheckpointSigner(ORIGIN, Ed25519Key.generate())
            .sign(new Checkpoint(ORIGIN, 9, Merkle.root(hashes.subList(0, 9))));
    assertThat(reason(verifier.verifyConsistency(checkpoint(5), otherKeyNote, proof)))
        .isEqualTo(Verification.Reason.UNKNOWN_KEY);
  }

  @Test
  void proofs_json_roundTripsStrictly() throws IOException {
    InclusionProof proof = proof(3, 7);
    String json = proof.toJson();
    assertThat(json)
        .startsWith("{\"leaf_index\":3,\"tree_size\":7,\"leaf_hash\":\"")
        .contains("\"hashes\":[\"")
        .contains("\"checkpoint\":\"");
    InclusionProof parsed = InclusionProof.fromJson(json);
    assertThat(parsed).isEqualTo(proof);
    assertThat(new InclusionProof(3, 7, proof.leafHash(), proof.hashes(), null).toJson())
        .doesNotContain("checkpoint");
    assertThatThrownBy(() ->
            InclusionProof.fromJson(json.replace("{\"leaf_index\"", "{\"extra\":1,\"leaf_index\"")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(
            () -> InclusionProof.fromJson("{\"tree_size\":7,\"leaf_hash\":\"x\",\"hashes\":[]}"))
        .isInstanceOf(IOException.class);

    ConsistencyProof consistency = ConsistencyProof.of(3, 7, Merkle.consistencyProof(hashes, 3, 7));
    assertThat(consistency.toJson()).startsWith("{\"old_size\":3,\"new_size\":7,\"hashes\":[\"");
    assertThat(ConsistencyProof.fromJson(consistency.toJson())).isEqualTo(consistency);
  }

  private static InclusionProof with(InclusionProof proof, long index, List<String> hashes) {
    return new InclusionProof(
        index, proof.treeSize(), proof.leafHash(), hashes, proof.checkpoint());
  }

  private static Verification.Reason reason(Verification result) {
    assertThat(result).isInstanceOf(Verification.Failed.class);
    return ((Verification.Failed) result).reason();
  }
}
