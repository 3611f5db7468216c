// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.Ed25519Key;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A signed-note verifier key for Ed25519 (C2SP signed-note signature type 0x01), in the text form
 * of Go's {@code golang.org/x/mod/sumdb/note}: {@code <name>+<8 hex digits key id>+<base64(0x01 ||
 * 32-byte public key)>}. The key id is the first four bytes (big-endian) of {@code SHA-256(name ||
 * 0x0A || 0x01 || public key)}.
 */
public record NoteVerifierKey(String name, int keyId, byte[] publicKey) {
  /** Signature type byte of Ed25519 in signed notes. */
  static final byte ED25519 = 0x01;

  public NoteVerifierKey {
    requireValidName(name);
    if (publicKey.length != Ed25519Key.KEY_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    publicKey = publicKey.clone();
    if (keyId != keyId(name, publicKey)) {
      throw new IllegalArgumentException("key id does not match the key name and public key");
    }
  }

  /** The verifier key of an Ed25519 public key under {@code name}. */
  public static NoteVerifierKey of(String name, byte[] publicKey) {
    requireValidName(name);
    return new NoteVerifierKey(name, keyId(name, publicKey), publicKey);
  }

  /**
   * Parses {@code name+hexid+base64}, rejecting anything Go's {@code note.NewVerifier} rejects and
   * any key type other than Ed25519.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static NoteVerifierKey parse(String text) {
    int first = text.indexOf('+');
    int second = first < 0 ? -1 : text.indexOf('+', first + 1);
    if (first < 0 || second < 0) {
      throw new IllegalArgumentException("verifier key is not name+keyid+key");
    }
    String name = text.substring(0, first);
    String hex = text.substring(first + 1, second);
    String key64 = text.substring(second + 1);
    requireValidName(name);
    if (hex.length() != 8 || !dev.arbiter.internal.Hex.isHex(hex)) {
      throw new IllegalArgumentException("verifier key id is not 8 hex digits");
    }
    int id = (int) Long.parseLong(hex, 16);
    byte[] key;
    try {
      key = B64.decode(key64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("verifier key material is not canonical base64");
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("verifier key material is empty");
    }
    if (key[0] != ED25519) {
      throw new IllegalArgumentException(
          "unsupported verifier key type 0x"
              + HexFormat.of().toHexDigits(key[0])
              + " (only Ed25519, 0x01)");
    }
    if (key.length != 1 + Ed25519Key.KEY_LENGTH) {
      throw new IllegalArgumentException(
          "Ed25519 verifier key is " + (key.length - 1) + " bytes, expected 32");
    }
    byte[] publicKey = Arrays.copyOfRange(key, 1, key.length);
    if (id != keyId(name, publicKey)) {
      throw new IllegalArgumentException(
          "verifier key id does not match the key name and public key");
    }
    return new NoteVerifierKey(name, id, publicKey);
  }

  /** {@code SHA-256(name || 0x0A || 0x01 || publicKey)[:4]} as a big-endian int. */
  static int keyId(String name, byte[] publicKey) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[nameBytes.length + 2 + publicKey.length];
    System.arraycopy(nameBytes, 0, input, 0, nameBytes.length);
    input[nameBytes.length] = '\n';
    input[nameBytes.length + 1] = ED25519;
    System.arraycopy(publicKey, 0, input, nameBytes.length + 2, publicKey.length);
    byte[] hash = Digests.sha256(input);
    return ((hash[0] & 0xff) << 24)
        | ((hash[1] & 0xff) << 16)
        | ((hash[2] & 0xff) << 8)
        | (hash[3] & 0xff);
  }

  /**
   * Key names (and so our origins) must be non-empty and contain no Unicode space, no plus sign and
   * no control character.
   */
  public static void requireValidName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "invalid key name (empty, or contains a space, '+' or a control character)");
    }
  }

  static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (c == '+'
          || c < 0x20
          || c == 0x85
          || Character.isWhitespace(c)
          || Character.isSpaceChar(c)
          || (Character.isSurrogate(name.charAt(i)) && !Character.isSupplementaryCodePoint(c))) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }

  /** The key id as Go prints it: 8 lowercase hex digits. */
  public String keyIdHex() {
    return HexFormat.of().toHexDigits(keyId);
  }

  /** The text form {@code name+keyid+base64(0x01 || key)}. */
  public String encoded() {
    byte[] key = new byte[1 + publicKey.length];
    key[0] = ED25519;
    System.arraycopy(publicKey, 0, key, 1, publicKey.length);
    return name + "+" + keyIdHex() + "+" + B64.encode(key);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NoteVerifierKey k
        && k.name.equals(name)
        && k.keyId == keyId
        && Arrays.equals(k.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + keyId;
  }

  @Override
  public String toString() {
    return encoded();
  }
}
