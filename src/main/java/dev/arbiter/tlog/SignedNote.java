// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, then signature lines {@code — <key
 * name> <base64(4-byte key id || signature)>}. {@link #parse} is the syntax check of Go's {@code
 * note.Open} (valid UTF-8, no control characters but newline, the text separated from the
 * signatures by the last blank line, every signature line well formed, at most 100 signatures); it
 * verifies nothing. Use {@link Checkpoints#open} to verify a checkpoint.
 */
public record SignedNote(String text, List<Signature> signatures) {
  /** Signature lines beyond this make the note malformed (Go's limit). */
  static final int MAX_SIGNATURES = 100;

  private static final String SIGNATURE_PREFIX = "\u2014 ";

  public SignedNote {
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must end in a newline");
    }
    signatures = List.copyOf(signatures);
  }

  /** One signature line. */
  public record Signature(String keyName, int keyId, byte[] signature) {
    public Signature {
      NoteVerifierKey.requireValidName(keyName);
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    /** The line, without its newline: {@code — name base64(keyid || signature)}. */
    public String line() {
      byte[] blob = ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array();
      return SIGNATURE_PREFIX + keyName + " " + B64.encode(blob);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Signature s
          && s.keyName.equals(keyName)
          && s.keyId == keyId
          && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
      return keyName.hashCode() * 31 + keyId;
    }

    @Override
    public String toString() {
      return line();
    }
  }

  /** The full note: text, blank line, one line per signature. */
  public String format() {
    StringBuilder out = new StringBuilder(text).append('\n');
    for (Signature signature : signatures) {
      out.append(signature.line()).append('\n');
    }
    return out.toString();
  }

  /**
   * Parses a note from bytes, which must be valid UTF-8.
   *
   * @throws IllegalArgumentException naming the first syntax error
   */
  public static SignedNote parse(byte[] bytes) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("note is not valid UTF-8");
    }
    return parse(text);
  }

  /**
   * Parses a note.
   *
   * @throws IllegalArgumentException naming the first syntax error
   */
  public static SignedNote parse(String note) {
    for (int i = 0; i < note.length(); i++) {
      char c = note.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new IllegalArgumentException("note contains a control character");
      }
      if (Character.isHighSurrogate(c)
              && (i + 1 == note.length() || !Character.isLowSurrogate(note.charAt(i + 1)))
          || Character.isLowSurrogate(c)
              && (i == 0 || !Character.isHighSurrogate(note.charAt(i - 1)))) {
        throw new IllegalArgumentException("note is not valid Unicode");
      }
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new IllegalArgumentException("note has no blank line before its signatures");
    }
    String text = note.substring(0, split + 1);
    String block = note.substring(split + 2);
    if (block.isEmpty()) {
      throw new IllegalArgumentException("note has no signatures");
    }
    if (!block.endsWith("\n")) {
      throw new IllegalArgumentException("note does not end in a newline");
    }
    List<Signature> signatures = new ArrayList<>();
    for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
      if (!line.startsWith(SIGNATURE_PREFIX)) {
        throw new IllegalArgumentException(
            "note line after the blank line is not a signature line");
      }
      String rest = line.substring(SIGNATURE_PREFIX.length());
      int space = rest.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException("signature line has no signature");
      }
      String name = rest.substring(0, space);
      String blob64 = rest.substring(space + 1);
      if (!NoteVerifierKey.isValidName(name)) {
        throw new IllegalArgumentException("signature line has an invalid key name");
      }
      byte[] blob;
      try {
        blob = B64.decode(blob64);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("signature is not canonical base64");
      }
      if (blob.length < 5) {
        throw new IllegalArgumentException("signature is too short");
      }
      if (signatures.size() == MAX_SIGNATURES) {
        throw new IllegalArgumentException("note has more than " + MAX_SIGNATURES + " signatures");
      }
      int keyId = ByteBuffer.wrap(blob, 0, 4).getInt();
      signatures.add(new Signature(name, keyId, Arrays.copyOfRange(blob, 4, blob.length)));
    }
    return new SignedNote(text, signatures);
  }
}
