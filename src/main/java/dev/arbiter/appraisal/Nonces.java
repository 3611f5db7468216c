// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.Macs;
import dev.arbiter.crypto.PemKeys;
import dev.arbiter.crypto.Randoms;
import dev.arbiter.internal.Encodings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stateless single-use nonces (CONTRACTS.md): 32 bytes = expiry (8, epoch seconds) || random (8) ||
 * HMAC-SHA256(key, expiry || random)[0..16). Any replica holding the key can check one without a
 * database; each replica remembers the nonces it accepted until they expire and refuses them again.
 * The MAC key lives in {@code nonce-key.bin} in the data directory (replicas share it).
 * Thread-safe.
 */
public final class Nonces {
  public static final int LENGTH = 32;
  private static final int MAX_REMEMBERED = 2_000_000;

  private final byte[] key;
  private final Clock clock;
  private final Duration lifetime;
  private final Map<String, Long> accepted = new ConcurrentHashMap<>();

  public Nonces(byte[] key, Clock clock, Duration lifetime) {
    if (key.length < 32) {
      throw new IllegalArgumentException("nonce MAC key must be at least 32 bytes");
    }
    this.key = key.clone();
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** Loads the MAC key from {@code file}, creating 32 random bytes (mode 600) when absent. */
  public static byte[] loadOrCreateKey(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readAllBytes(file);
    }
    byte[] key = Randoms.bytes(32);
    PemKeys.writeSecret(file, key);
    return key;
  }

  /** A fresh nonce and when it expires. */
  public record Issued(byte[] nonce, Instant expiresAt) {
    public String encoded() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    }
  }

  public Issued issue() {
    Instant expires = clock.instant().plus(lifetime);
    ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
    buffer.putLong(expires.getEpochSecond());
    buffer.put(Randoms.bytes(8));
    buffer.put(mac(Arrays.copyOf(buffer.array(), 16)), 0, 16);
    return new Issued(buffer.array(), Instant.ofEpochSecond(expires.getEpochSecond()));
  }

  /**
   * Decodes a nonce as sent by a client (unpadded base64url, strictly: {@link
   * Encodings#base64Url}). Empty when it is not base64url; the length is checked by {@link #check}.
   */
  public static java.util.Optional<byte[]> decode(String text) {
    try {
      return java.util.Optional.of(Encodings.base64Url(text));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /** Why a nonce was not accepted. */
  public enum Rejection {
    MALFORMED,
    FORGED,
    EXPIRED,
    REUSED
  }

  /** Checks MAC and expiry without consuming. Empty when valid. */
  public java.util.Optional<Rejection> check(byte[] nonce) {
    if (nonce == null || nonce.length != LENGTH) {
      return java.util.Optional.of(Rejection.MALFORMED);
    }
    byte[] expected = Arrays.copyOf(mac(Arrays.copyOf(nonce, 16)), 16);
    if (!Digests.constantTimeEquals(expected, Arrays.copyOfRange(nonce, 16, 32))) {
      return java.util.Optional.of(Rejection.FORGED);
    }
    long expires = ByteBuffer.wrap(nonce).getLong();
    if (clock.instant().getEpochSecond() > expires) {
      return java.util.Optional.of(Rejection.EXPIRED);
    }
    return java.util.Optional.empty();
  }

  /**
   * Checks and consumes a nonce: valid MAC, not expired, and not accepted before by this replica.
   * Empty when accepted (and now remembered as used).
   */
  public java.util.Optional<Rejection> consume(byte[] nonce) {
    java.util.Optional<Rejection> invalid = check(nonce);
    if (invalid.isPresent()) {
      return invalid;
    }
    long expires = ByteBuffer.wrap(nonce).getLong();
    if (accepted.size() >= MAX_REMEMBERED) {
      purgeExpired();
    }
    String id = Base64.getEncoder().encodeToString(nonce);
    if (accepted.putIfAbsent(id, expires) != null) {
      return java.util.Optional.of(Rejection.REUSED);
    }
    return java.util.Optional.empty();
  }

  /** Forgets expired nonces (called periodically and when the memory is full). */
  public void purgeExpired() {
    long now = clock.instant().getEpochSecond();
    for (Iterator<Map.Entry<String, Long>> it = accepted.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue() < now) {
        it.remove();
      }
    }
  }

  public Duration lifetime() {
    return lifetime;
  }

  private byte[] mac(byte[] data) {
    return Macs.hmacSha256(key, data);
  }
}
