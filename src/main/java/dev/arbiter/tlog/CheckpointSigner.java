// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import dev.arbiter.crypto.Ed25519Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Signs checkpoints as C2SP signed notes with an Ed25519 key (signature type 0x01) whose key name
 * is the log's origin, so Go's {@code note.Open} and existing witnesses verify them with {@link
 * #verifierKey()}. Thread-safe.
 */
public final class CheckpointSigner {
  /** File name of the private key in the key directory. */
  public static final String KEY_FILE = "tlog-checkpoint-key.pem";

  private final Ed25519Key key;
  private final NoteVerifierKey verifierKey;

  public CheckpointSigner(String origin, Ed25519Key key) {
    this.key = key;
    this.verifierKey = NoteVerifierKey.of(origin, key.publicKey());
  }

  /**
   * The signer of {@code origin} with the key {@code directory/tlog-checkpoint-key.pem}, created
   * (PKCS#8 PEM, mode 600) when absent.
   */
  public static CheckpointSigner loadOrCreate(Path directory, String origin) throws IOException {
    NoteVerifierKey.requireValidName(origin);
    return new CheckpointSigner(origin, Ed25519Key.loadOrCreate(directory.resolve(KEY_FILE)));
  }

  /** The log's origin, also the key name. */
  public String origin() {
    return verifierKey.name();
  }

  /** The verifier key to pin: {@code origin+keyid+base64(0x01 || public key)}. */
  public NoteVerifierKey verifierKey() {
    return verifierKey;
  }

  /** The signed note of {@code checkpoint}, which must be of this log's origin. */
  public String sign(Checkpoint checkpoint) {
    if (!checkpoint.origin().equals(origin())) {
      throw new IllegalArgumentException("checkpoint of another origin");
    }
    return sign(checkpoint.text());
  }

  /** A signed note of any text ending in a newline (for tests and other note users). */
  String sign(String text) {
    byte[] signature = key.sign(text.getBytes(StandardCharsets.UTF_8));
    return new SignedNote(
            text, List.of(new SignedNote.Signature(origin(), verifierKey.keyId(), signature)))
        .format();
  }

  @Override
  public String toString() {
    return "CheckpointSigner[" + verifierKey.encoded() + "]";
  }
}
