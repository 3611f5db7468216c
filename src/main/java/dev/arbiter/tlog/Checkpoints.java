// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import dev.arbiter.crypto.Ed25519Key;
import java.nio.charset.StandardCharsets;

/** Verifies signed checkpoints against a pinned verifier key. Stateless. */
public final class Checkpoints {
  private Checkpoints() {}

  /**
   * Opens a signed checkpoint: the note must be well formed, carry a valid signature by {@code key}
   * (signatures by other keys are ignored, as the signed-note spec requires; a signature line with
   * the key's name and id that fails to verify rejects the note), and its text must be a checkpoint
   * of {@code origin} with no extension lines.
   */
  public static Verification open(String note, NoteVerifierKey key, String origin) {
    SignedNote parsed;
    try {
      parsed = SignedNote.parse(note);
    } catch (IllegalArgumentException e) {
      return Verification.fail(Verification.Reason.MALFORMED_NOTE, e.getMessage());
    }
    Verification.Failed unsigned = verifySignature(parsed, key);
    if (unsigned != null) {
      return unsigned;
    }
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.parse(parsed.text());
    } catch (IllegalArgumentException e) {
      return Verification.fail(Verification.Reason.MALFORMED_CHECKPOINT, e.getMessage());
    }
    if (!checkpoint.origin().equals(origin)) {
      return Verification.fail(
          Verification.Reason.WRONG_ORIGIN,
          "checkpoint origin is '"
              + printable(checkpoint.origin())
              + "', expected '"
              + origin
              + "'");
    }
    return new Verification.Verified(checkpoint);
  }

  /**
   * Checks that {@code note} carries a valid signature by {@code key}: null when it does, else why
   * not. Signatures by other keys (another name or key id) are ignored; one with the key's name and
   * id that does not verify is {@link Verification.Reason#BAD_SIGNATURE}.
   */
  static Verification.Failed verifySignature(SignedNote note, NoteVerifierKey key) {
    byte[] text = note.text().getBytes(StandardCharsets.UTF_8);
    boolean verified = false;
    for (SignedNote.Signature signature : note.signatures()) {
      if (!signature.keyName().equals(key.name()) || signature.keyId() != key.keyId()) {
        continue;
      }
      if (!Ed25519Key.verify(key.publicKey(), text, signature.signature())) {
        return Verification.fail(
            Verification.Reason.BAD_SIGNATURE,
            "the signature by " + key.name() + "+" + key.keyIdHex() + " does not verify");
      }
      verified = true;
    }
    return verified
        ? null
        : Verification.fail(
            Verification.Reason.UNKNOWN_KEY,
            "no signature by " + key.name() + "+" + key.keyIdHex());
  }

  /** {@link #open} with the key's name as the origin (this log's convention). */
  public static Verification open(String note, NoteVerifierKey key) {
    return open(note, key, key.name());
  }

  private static String printable(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
