// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.Randoms;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A nonce is accepted at most once across replicas and restarts: two {@link Nonces} with the same
 * shared key stand for two replicas (or one replica before and after a restart).
 */
class NoncesTest {
  private final byte[] sharedKey = Randoms.bytes(32);
  private final AppraiserTest.MutableClock clock =
      new AppraiserTest.MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

  private Nonces replica() {
    return new Nonces(sharedKey, clock, Duration.ofMinutes(2));
  }

  @Test
  void consume_ownNonce_acceptedOnce_thenReused() {
    Nonces a = replica();
    byte[] nonce = a.issue().nonce();
    assertThat(a.consume(nonce)).isEmpty();
    assertThat(a.consume(nonce)).contains(Nonces.Rejection.REUSED);
  }

  @Test
  void consume_nonceOfAnotherReplica_isWrongIssuer_evenAfterTheIssuerAcceptedIt() {
    Nonces a = replica();
    Nonces b = replica();
    byte[] fromA = a.issue().nonce();
    assertThat(b.check(fromA)).contains(Nonces.Rejection.WRONG_ISSUER);
    assertThat(a.consume(fromA)).isEmpty();
    assertThat(b.consume(fromA)).contains(Nonces.Rejection.WRONG_ISSUER);
    // B's own nonces still work on B, and not on A
    byte[] fromB = b.issue().nonce();
    assertThat(a.consume(fromB)).contains(Nonces.Rejection.WRONG_ISSUER);
    assertThat(b.consume(fromB)).isEmpty();
  }

  @Test
  void consume_afterARestart_nonceAcceptedOrMintedBeforeIsRefused() {
    Nonces before = replica();
    byte[] used = before.issue().nonce();
    byte[] unused = before.issue().nonce();
    assertThat(before.consume(used)).isEmpty();

    Nonces restarted = replica(); // same nonce-key.bin, new process
    assertThat(restarted.consume(used)).contains(Nonces.Rejection.WRONG_ISSUER);
    assertThat(restarted.consume(unused)).contains(Nonces.Rejection.WRONG_ISSUER);
    assertThat(restarted.consume(restarted.issue().nonce())).isEmpty();
  }

  @Test
  void check_editedNonce_isForged_includingItsIssuerTag() {
    Nonces a = replica();
    for (int index : new int[] {0, 9, 13, 20, 31}) {
      byte[] nonce = a.issue().nonce();
      nonce[index] ^= 1;
      assertThat(a.check(nonce)).as("byte " + index).contains(Nonces.Rejection.FORGED);
    }
    byte[] otherKey = new Nonces(Randoms.bytes(32), clock, Duration.ofMinutes(2)).issue().nonce();
    assertThat(a.check(otherKey)).contains(Nonces.Rejection.FORGED);
    assertThat(a.check(new byte[31])).contains(Nonces.Rejection.MALFORMED);
  }

  @Test
  void check_expiredNonceOfAnotherIssuer_isExpired() {
    Nonces a = replica();
    byte[] nonce = a.issue().nonce();
    clock.advance(Duration.ofMinutes(3));
    assertThat(replica().check(nonce)).contains(Nonces.Rejection.EXPIRED);
    assertThat(a.consume(nonce)).contains(Nonces.Rejection.EXPIRED);
  }

  @Test
  void issue_layout_expirySerialIssuerMac_serialsDistinct() {
    Nonces a = replica();
    Set<Integer> serials = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ByteBuffer fields = ByteBuffer.wrap(a.issue().nonce());
      assertThat(fields.getLong()).isEqualTo(clock.instant().plusSeconds(120).getEpochSecond());
      serials.add(fields.getInt());
      assertThat(fields.getInt()).isEqualTo(a.issuer());
    }
    assertThat(serials).hasSize(1000);
  }

  @Test
  void consume_memoryFullOfUnexpiredNonces_failsClosed_untilTheyExpire() {
    Nonces a = new Nonces(sharedKey, clock, Duration.ofMinutes(2), 3);
    for (int i = 0; i < 3; i++) {
      assertThat(a.consume(a.issue().nonce())).isEmpty();
    }
    byte[] fourth = a.issue().nonce();
    assertThat(a.consume(fourth)).contains(Nonces.Rejection.OVERLOADED);
    clock.advance(Duration.ofMinutes(1));
    byte[] later = a.issue().nonce();
    clock.advance(Duration.ofSeconds(61)); // the first three expired, `later` has not
    assertThat(a.consume(later)).isEqualTo(Optional.empty());
  }
}
