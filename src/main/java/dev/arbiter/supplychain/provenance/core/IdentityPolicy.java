// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.core;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Whom a keyless (Fulcio certificate) signature must come from. As in cosign, a keyless signature
 * is accepted only when both an identity and an OIDC issuer requirement are given, unless the
 * caller explicitly opts out with {@code insecureIgnore} ({@code --insecure-ignore-identity}); an
 * opt-out never disables a requirement that was given. Each list is any-of; an empty list does not
 * check that field.
 *
 * @param identities requirements on the certificate identity (SAN URI or e-mail)
 * @param issuers requirements on the certificate's OIDC issuer extension
 * @param insecureIgnore accept keyless signatures without both requirements
 */
public record IdentityPolicy(
    List<NameMatch> identities, List<NameMatch> issuers, boolean insecureIgnore) {
  /** The default: keyless signatures are refused until an identity and an issuer are required. */
  public static final IdentityPolicy REQUIRED = new IdentityPolicy(List.of(), List.of(), false);

  public IdentityPolicy {
    identities = List.copyOf(identities);
    issuers = List.copyOf(issuers);
  }

  /** True when at least one requirement is given (a check runs). */
  public boolean checks() {
    return !identities.isEmpty() || !issuers.isEmpty();
  }

  /** True when keyless signatures may be accepted: both requirements given, or the opt-out. */
  public boolean complete() {
    return insecureIgnore || (!identities.isEmpty() && !issuers.isEmpty());
  }

  public IdentityPolicy withInsecureIgnore(boolean value) {
    return new IdentityPolicy(identities, issuers, value);
  }

  /**
   * One requirement on a certificate field: exact text ({@code regex} null) or a regular expression
   * that must match the whole value.
   */
  public record NameMatch(String text, Pattern regex) {
    public NameMatch {
      Objects.requireNonNull(text, "text");
    }

    public static NameMatch exact(String text) {
      return new NameMatch(text, null);
    }

    public static NameMatch regexp(Pattern regex) {
      return new NameMatch(regex.pattern(), regex);
    }

    /** True when {@code value} (may be null) satisfies the requirement. */
    public boolean matches(String value) {
      return value != null && (regex == null ? text.equals(value) : regex.matcher(value).matches());
    }

    /** The requirement for messages: {@code 'text'} or {@code /regex/}. */
    public String describe() {
      return regex == null ? "'" + text + "'" : "/" + text + "/";
    }
  }
}
