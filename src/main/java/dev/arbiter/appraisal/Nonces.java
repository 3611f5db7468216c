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

/**
 * Stateless single-use nonces, accepted at most once across restarts and replicas without a
 * database. Layout (32 bytes): expiry (8, epoch seconds, big-endian) || serial (4) || issuer (4) ||
 * HMAC-SHA256(issuer key, first 16 bytes)[0..16).
 *
 * <p>Each {@code Nonces} instance (one per server process start) is an <em>issuer</em>: a random
 * 32-bit issuer tag chosen at construction, and an issuer key derived from the shared key in {@code
 * nonce-key.bin} as HMAC-SHA256(shared key, "arbiter-nonce-issuer-v1" || tag). The serial counts up
 * from a random start, so no two nonces of one issuer are equal. Any replica holding the shared key
 * can tell a genuine nonce from a forged one (it derives the issuer key from the tag), but only the
 * issuer that minted a nonce accepts it: a genuine, unexpired nonce of another issuer (another
 * replica, or this replica before it restarted) is refused as {@link Rejection#WRONG_ISSUER}. So a
 * nonce (and the proof of possession carrying one) is accepted at most once overall: the issuer
 * remembers what it accepted until expiry, and nobody else accepts it. Clients must send {@code
 * /v1/challenge} and the request using its nonce to the same replica (sticky load balancing), and
 * ask for a new challenge after a restart.
 *
 * <p>Memory: the accepted set ({@link AcceptedNonces}) holds at most {@value #MAX_REMEMBERED}
 * unexpired nonces (4-8 bytes each, grouped by expiry second, so expired seconds are dropped whole
 * once a second); when full, a nonce is refused as {@link Rejection#OVERLOADED} (fail closed) until
 * some expire. Thread-safe.
 */
public final class Nonces {
  public static final int LENGTH = 32;
  static final int MAX_REMEMBERED = 2_000_000;
  private static final byte[] ISSUER_LABEL =
      "arbiter-nonce-issuer-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final byte[] sharedKey;
  private final int issuer;
  private final byte[] issuerKey;
  private final java.util.concurrent.atomic.AtomicInteger serial;
  private final Clock clock;
  private final Duration lifetime;
  private final AcceptedNonces accepted;

  public Nonces(byte[] key, Clock clock, Duration lifetime) {
    this(key, clock, lifetime, MAX_REMEMBERED);
  }

  Nonces(byte[] key, Clock clock, Duration lifetime, int maxRemembered) {
    if (key.length < 32) {
      throw new IllegalArgumentException("nonce MAC key must be at least 32 bytes");
    }
    this.sharedKey = key.clone();
    this.issuer = ByteBuffer.wrap(Randoms.bytes(4)).getInt();
    this.issuerKey = issuerKey(sharedKey, issuer);
    this.serial =
        new java.util.concurrent.atomic.AtomicInteger(ByteBuffer.wrap(Randoms.bytes(4)).getInt());
    this.clock = clock;
    this.lifetime = lifetime;
    this.accepted = new AcceptedNonces(maxRemembered);
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
    buffer.putInt(serial.getAndIncrement());
    buffer.putInt(issuer);
    buffer.put(Macs.hmacSha256(issuerKey, Arrays.copyOf(buffer.array(), 16)), 0, 16);
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
    /** Not 32 bytes. */
    MALFORMED,
    /** The MAC does not verify: not minted by any Arbiter holding the shared key. */
    FORGED,
    /** Genuine, but its lifetime has passed. */
    EXPIRED,
    /**
     * Genuine and unexpired, but minted by another issuer: another replica, or before a restart.
     */
    WRONG_ISSUER,
    /** Already accepted once. */
    REUSED,
    /** The memory of accepted nonces is full of unexpired ones: refused until some expire. */
    OVERLOADED
  }

  /** Checks MAC, expiry and issuer without consuming. Empty when this issuer would accept it. */
  public java.util.Optional<Rejection> check(byte[] nonce) {
    if (nonce == null || nonce.length != LENGTH) {
      return java.util.Optional.of(Rejection.MALFORMED);
    }
    ByteBuffer fields = ByteBuffer.wrap(nonce);
    long expires = fields.getLong();
    fields.getInt();
    int minter = fields.getInt();
    byte[] key = minter == issuer ? issuerKey : issuerKey(sharedKey, minter);
    byte[] expected = Arrays.copyOf(Macs.hmacSha256(key, Arrays.copyOf(nonce, 16)), 16);
    if (!Digests.constantTimeEquals(expected, Arrays.copyOfRange(nonce, 16, 32))) {
      return java.util.Optional.of(Rejection.FORGED);
    }
    if (clock.instant().getEpochSecond() > expires) {
      return java.util.Optional.of(Rejection.EXPIRED);
    }
    if (minter != issuer) {
      return java.util.Optional.of(Rejection.WRONG_ISSUER);
    }
    return java.util.Optional.empty();
  }

  /**
   * Checks and consumes a nonce: genuine, not expired, minted by this issuer, and not accepted
   * before. Empty when accepted (and now remembered as used until it expires).
   */
  public java.util.Optional<Rejection> consume(byte[] nonce) {
    java.util.Optional<Rejection> invalid = check(nonce);
    if (invalid.isPresent()) {
      return invalid;
    }
    ByteBuffer fields = ByteBuffer.wrap(nonce);
    long expires = fields.getLong();
    int serial = fields.getInt();
    return switch (accepted.add(expires, serial, clock.instant().getEpochSecond())) {
      case ACCEPTED -> java.util.Optional.empty();
      case REUSED -> java.util.Optional.of(Rejection.REUSED);
      case EXPIRED -> java.util.Optional.of(Rejection.EXPIRED);
      case FULL -> java.util.Optional.of(Rejection.OVERLOADED);
    };
  }

  /** This instance's issuer tag (bytes 12..16 of every nonce it mints). */
  int issuer() {
    return issuer;
  }

  private static byte[] issuerKey(byte[] sharedKey, int tag) {
    return Macs.hmacSha256(
        sharedKey,
        ByteBuffer.allocate(ISSUER_LABEL.length + 4).put(ISSUER_LABEL).putInt(tag).array());
  }

  public Duration lifetime() {
    return lifetime;
  }
}
