// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import java.util.Locale;
import java.util.Optional;

/** AR4SI trust tiers, ordered from most to least trusting (draft-ietf-rats-ar4si). */
public enum EarStatus {
  AFFIRMING(2),
  WARNING(32),
  CONTRAINDICATED(96),
  NONE(0);

  private final int cborValue;

  EarStatus(int cborValue) {
    this.cborValue = cborValue;
  }

  public int cborValue() {
    return cborValue;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<EarStatus> parse(String label) {
    for (EarStatus status : values()) {
      if (status.label().equals(label)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }

  /** The tier of one trustworthiness claim value (-128..127), per AR4SI. */
  public static EarStatus tierOf(int claim) {
    if (claim >= -1 && claim <= 1) {
      return NONE;
    }
    if ((claim >= 2 && claim <= 31) || (claim >= -32 && claim <= -2)) {
      return AFFIRMING;
    }
    if ((claim >= 32 && claim <= 95) || (claim >= -96 && claim <= -33)) {
      return WARNING;
    }
    return CONTRAINDICATED;
  }

  /**
   * The less trusting of two tiers (NONE counts as less trusting than AFFIRMING, more than
   * WARNING).
   */
  public EarStatus worse(EarStatus other) {
    return rank(this) >= rank(other) ? this : other;
  }

  private static int rank(EarStatus status) {
    return switch (status) {
      case AFFIRMING -> 0;
      case NONE -> 1;
      case WARNING -> 2;
      case CONTRAINDICATED -> 3;
    };
  }
}
