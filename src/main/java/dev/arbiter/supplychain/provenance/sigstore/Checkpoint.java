// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import dev.arbiter.crypto.KeySignatures;
import dev.arbiter.internal.Encodings;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * A Rekor checkpoint in signed-note form: {@code <origin>\n<size>\n<base64 root>\n[extra]\n\n}
 * followed by signature lines {@code — <name> <base64(4-byte key hint || signature)>}.
 */
final class Checkpoint {
  private Checkpoint() {}

  /**
   * Null when the note is well-formed, signed by {@code key} (a signature line whose key hint is
   * the first 4 bytes of {@code logId}), and records {@code size} and {@code root}; else the
   * reason.
   */
  static String check(String note, PublicKey key, byte[] logId, long size, byte[] root) {
    int split = note.indexOf("\n\n");
    if (split < 0) {
      return "checkpoint has no signature block";
    }
    String body = note.substring(0, split + 1);
    String[] lines = body.split("\n", -1);
    if (lines.length < 4) {
      return "checkpoint body is too short";
    }
    try {
      if (Long.parseLong(lines[1]) != size) {
        return "checkpoint tree size " + lines[1] + " differs from the proof's " + size;
      }
      if (!Arrays.equals(Encodings.base64(lines[2]), root)) {
        return "checkpoint root hash differs from the proof's";
      }
    } catch (IllegalArgumentException e) {
      return "checkpoint size or root hash is malformed";
    }
    byte[] signed = body.getBytes(StandardCharsets.UTF_8);
    byte[] hint = Arrays.copyOf(logId, 4);
    for (String line : note.substring(split + 2).split("\n")) {
      if (!line.startsWith("\u2014 ")) {
        continue;
      }
      String[] parts = line.substring(2).split(" ");
      if (parts.length != 2) {
        continue;
      }
      byte[] blob;
      try {
        blob = Encodings.base64(parts[1]);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (blob.length > 4
          && Arrays.equals(Arrays.copyOf(blob, 4), hint)
          && KeySignatures.verify(key, signed, Arrays.copyOfRange(blob, 4, blob.length))) {
        return null;
      }
    }
    return "checkpoint is not signed by the log key";
  }
}
