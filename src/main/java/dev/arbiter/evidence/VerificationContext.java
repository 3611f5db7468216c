// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * When and how strictly to verify.
 *
 * @param clock the verification time; schemes read time only from here
 * @param requireRevocation a certificate chain without a supplied CRL is a problem (default: it is
 *     reported as the claim {@code revocation: unchecked})
 * @param allowStaleCrl accept a CRL past its nextUpdate (default: an expired CRL is a problem)
 */
public record VerificationContext(Clock clock, boolean requireRevocation, boolean allowStaleCrl) {
  public VerificationContext {
    Objects.requireNonNull(clock, "clock");
  }

  /** Strict defaults at a fixed instant. */
  public static VerificationContext at(Instant instant) {
    return new VerificationContext(Clock.fixed(instant, ZoneOffset.UTC), false, false);
  }

  public static VerificationContext of(Clock clock) {
    return new VerificationContext(clock, false, false);
  }

  public Instant now() {
    return clock.instant();
  }

  public VerificationContext withRequireRevocation(boolean value) {
    return new VerificationContext(clock, value, allowStaleCrl);
  }

  public VerificationContext withAllowStaleCrl(boolean value) {
    return new VerificationContext(clock, requireRevocation, value);
  }
}
