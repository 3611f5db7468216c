// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

/**
 * The outcome of verifying a checkpoint or a proof: {@link Verified} with the checkpoint that the
 * pinned key signed, or {@link Failed} with a precise {@link Reason} and a one-line detail (safe to
 * print; it never contains key material).
 */
public sealed interface Verification {
  /** True for {@link Verified}. */
  default boolean ok() {
    return this instanceof Verified;
  }

  /** The checkpoint verified; for a consistency proof, the newer one. */
  record Verified(Checkpoint checkpoint) implements Verification {}

  /** Why verification failed. */
  record Failed(Reason reason, String detail) implements Verification {
    @Override
    public String toString() {
      return reason.code() + ": " + detail;
    }
  }

  /** Failure reasons, each with a stable kebab-case code for CLIs and logs. */
  enum Reason {
    /** The pinned verifier key string is malformed or not Ed25519. */
    MALFORMED_KEY("malformed-key"),
    /** The note is not a well-formed signed note. */
    MALFORMED_NOTE("malformed-note"),
    /** The note text is not exactly origin, tree size and root hash. */
    MALFORMED_CHECKPOINT("malformed-checkpoint"),
    /** The checkpoint is from another log. */
    WRONG_ORIGIN("wrong-origin"),
    /** No signature line is by the pinned key (name and key id). */
    UNKNOWN_KEY("unknown-key"),
    /** A signature line by the pinned key does not verify. */
    BAD_SIGNATURE("bad-signature"),
    /** The proof is malformed (bad base64, hash length, negative numbers). */
    MALFORMED_PROOF("malformed-proof"),
    /** The proof is for another tree size than the checkpoint. */
    TREE_SIZE_MISMATCH("tree-size-mismatch"),
    /** The leaf index is not below the tree size. */
    LEAF_INDEX_OUT_OF_RANGE("leaf-index-out-of-range"),
    /** The leaf body does not hash to the proof's leaf hash. */
    LEAF_HASH_MISMATCH("leaf-hash-mismatch"),
    /** The inclusion proof does not lead to the checkpoint's root. */
    INCLUSION_FAILED("inclusion-failed"),
    /** The consistency proof does not link the two checkpoints' roots. */
    CONSISTENCY_FAILED("consistency-failed");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  static Failed fail(Reason reason, String detail) {
    return new Failed(reason, detail);
  }
}
