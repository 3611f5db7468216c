// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Offline verification for CLIs and third parties: checkpoints, inclusion proofs and consistency
 * proofs, trusting only a pinned verifier key (never anything read from the log's database). Every
 * method returns {@link Verification.Verified} or a {@link Verification.Failed} naming the precise
 * reason. Immutable and thread-safe.
 */
public final class ProofVerifier {
  private final NoteVerifierKey key;
  private final String origin;

  /** A verifier for checkpoints of {@code origin} signed by {@code key}. */
  public ProofVerifier(NoteVerifierKey key, String origin) {
    this.key = key;
    this.origin = origin;
  }

  /**
   * A verifier for the log whose origin is the key's name (this log's convention).
   *
   * @throws IllegalArgumentException naming what is wrong with {@code verifierKey}
   */
  public static ProofVerifier forKey(String verifierKey) {
    NoteVerifierKey parsed = NoteVerifierKey.parse(verifierKey);
    return new ProofVerifier(parsed, parsed.name());
  }

  /**
   * One-shot: verifies {@code leafBody} (the exact canonical leaf text) is in the log at the
   * checkpoint {@code checkpointNote} signed by {@code verifierKey}, by {@code proof}.
   */
  public static Verification verifyInclusion(
      String verifierKey, String checkpointNote, String leafBody, InclusionProof proof) {
    ProofVerifier verifier;
    try {
      verifier = forKey(verifierKey);
    } catch (IllegalArgumentException e) {
      return Verification.fail(Verification.Reason.MALFORMED_KEY, e.getMessage());
    }
    return verifier.verifyInclusion(checkpointNote, leafBody, proof);
  }

  /** Verifies a signed checkpoint. */
  public Verification verifyCheckpoint(String checkpointNote) {
    return Checkpoints.open(checkpointNote, key, origin);
  }

  /** Verifies an inclusion proof against the checkpoint it carries. */
  public Verification verifyInclusion(InclusionProof proof, String leafBody) {
    if (proof.checkpoint() == null) {
      return Verification.fail(
          Verification.Reason.MALFORMED_PROOF, "the proof carries no checkpoint; pass one");
    }
    return verifyInclusion(proof.checkpoint(), leafBody, proof);
  }

  /**
   * Verifies that {@code leafBody} is leaf {@code proof.leaf_index} of the tree that {@code
   * checkpointNote} commits to. The proof's tree size must be the checkpoint's; a checkpoint
   * carried in the proof is ignored in favour of {@code checkpointNote}.
   */
  public Verification verifyInclusion(
      String checkpointNote, String leafBody, InclusionProof proof) {
    Verification opened = verifyCheckpoint(checkpointNote);
    if (!(opened instanceof Verification.Verified(Checkpoint checkpoint))) {
      return opened;
    }
    if (proof.leafIndex() < 0 || proof.treeSize() < 0) {
      return Verification.fail(
          Verification.Reason.MALFORMED_PROOF, "negative leaf index or tree size");
    }
    if (proof.treeSize() != checkpoint.size()) {
      return Verification.fail(
          Verification.Reason.TREE_SIZE_MISMATCH,
          "proof is for tree size "
              + proof.treeSize()
              + ", checkpoint is for size "
              + checkpoint.size());
    }
    if (proof.leafIndex() >= checkpoint.size()) {
      return Verification.fail(
          Verification.Reason.LEAF_INDEX_OUT_OF_RANGE,
          "leaf index " + proof.leafIndex() + " is not in a tree of size " + checkpoint.size());
    }
    byte[] leafHash = Merkle.leafHash(leafBody.getBytes(StandardCharsets.UTF_8));
    byte[] claimed;
    List<byte[]> hashes;
    try {
      claimed = decodeHash(proof.leafHash());
      hashes = decodeHashes(proof.hashes());
    } catch (IllegalArgumentException e) {
      return Verification.fail(Verification.Reason.MALFORMED_PROOF, e.getMessage());
    }
    if (!Arrays.equals(claimed, leafHash)) {
      return Verification.fail(
          Verification.Reason.LEAF_HASH_MISMATCH,
          "the leaf body does not hash to the proof's leaf_hash");
    }
    if (!Merkle.verifyInclusion(
        proof.leafIndex(), proof.treeSize(), leafHash, hashes, checkpoint.rootHash())) {
      return Verification.fail(
          Verification.Reason.INCLUSION_FAILED,
          "the proof does not lead from leaf "
              + proof.leafIndex()
              + " to the root of the checkpoint at size "
              + checkpoint.size());
    }
    return opened;
  }

  /**
   * Verifies that the tree of {@code newCheckpointNote} extends the tree of {@code
   * oldCheckpointNote}; both must verify with the pinned key and the proof's sizes must be theirs.
   */
  public Verification verifyConsistency(
      String oldCheckpointNote, String newCheckpointNote, ConsistencyProof proof) {
    Verification oldOpened = verifyCheckpoint(oldCheckpointNote);
    if (!(oldOpened instanceof Verification.Verified(Checkpoint older))) {
      return oldOpened;
    }
    Verification newOpened = verifyCheckpoint(newCheckpointNote);
    if (!(newOpened instanceof Verification.Verified(Checkpoint newer))) {
      return newOpened;
    }
    if (proof.oldSize() != older.size() || proof.newSize() != newer.size()) {
      return Verification.fail(
          Verification.Reason.TREE_SIZE_MISMATCH,
          "proof is from size "
              + proof.oldSize()
              + " to "
              + proof.newSize()
              + ", checkpoints are at sizes "
              + older.size()
              + " and "
              + newer.size());
    }
    return verifyConsistency(older, newer, proof);
  }

  /** Verifies a consistency proof between two already verified checkpoints. */
  static Verification verifyConsistency(
      Checkpoint older, Checkpoint newer, ConsistencyProof proof) {
    if (older.size() > newer.size()) {
      return Verification.fail(
          Verification.Reason.CONSISTENCY_FAILED,
          "the older checkpoint (size "
              + older.size()
              + ") is larger than the newer (size "
              + newer.size()
              + ")");
    }
    List<byte[]> hashes;
    try {
      hashes = decodeHashes(proof.hashes());
    } catch (IllegalArgumentException e) {
      return Verification.fail(Verification.Reason.MALFORMED_PROOF, e.getMessage());
    }
    if (!Merkle.verifyConsistency(
        older.size(), newer.size(), older.rootHash(), newer.rootHash(), hashes)) {
      return Verification.fail(
          Verification.Reason.CONSISTENCY_FAILED,
          "the tree at size "
              + newer.size()
              + " is not an extension of the tree at size "
              + older.size());
    }
    return new Verification.Verified(newer);
  }

  static List<byte[]> decodeHashes(List<String> encoded) {
    List<byte[]> out = new ArrayList<>(encoded.size());
    for (String hash : encoded) {
      out.add(decodeHash(hash));
    }
    return out;
  }

  static byte[] decodeHash(String encoded) {
    if (encoded == null) {
      throw new IllegalArgumentException("missing hash");
    }
    byte[] hash;
    try {
      hash = B64.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a hash is not canonical base64");
    }
    if (hash.length != Merkle.HASH_LENGTH) {
      throw new IllegalArgumentException("a hash is " + hash.length + " bytes, expected 32");
    }
    return hash;
  }
}
