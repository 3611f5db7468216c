// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import dev.arbiter.supplychain.provenance.core.IdentityPolicy;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to trust and what to expect when verifying provenance. Build from {@link #defaults()} with
 * the {@code with...} methods; immutable.
 *
 * @param keys keys trusted for keyed signing (DSSE envelopes, keyed bundles)
 * @param trustedRoot the Sigstore trusted root for keyless bundles and transparency-log entries
 * @param expectedDigest the artifact digest a subject must carry (null: no digest check)
 * @param builderIds trusted builder ids, compared exactly (empty: any builder)
 * @param identity whom keyless signatures must come from (default: refused until an identity and an
 *     issuer are required, as in cosign)
 * @param at verification time overriding the transparency-log integrated time (null: use the
 *     SET-verified integrated time for keyless bundles and {@code clock} otherwise)
 * @param clock time source when neither {@code at} nor a log time applies
 * @param requireInclusionProof refuse SET-only (v0.1) bundles
 */
public record ProvenanceOptions(
    List<TrustedKey> keys,
    TrustedRoot trustedRoot,
    ArtifactDigest expectedDigest,
    Set<String> builderIds,
    IdentityPolicy identity,
    Instant at,
    Clock clock,
    boolean requireInclusionProof) {

  public ProvenanceOptions {
    keys = List.copyOf(keys);
    Objects.requireNonNull(trustedRoot, "trustedRoot");
    builderIds = Set.copyOf(builderIds);
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(clock, "clock");
  }

  /**
   * No keys, the shipped Sigstore public-good root, no digest or builder constraints; keyless
   * signatures are refused until an identity and an issuer are required ({@link IdentityPolicy}).
   */
  public static ProvenanceOptions defaults() {
    return new ProvenanceOptions(
        List.of(),
        TrustedRoot.publicGood(),
        null,
        Set.of(),
        IdentityPolicy.REQUIRED,
        null,
        Clock.systemUTC(),
        false);
  }

  public ProvenanceOptions withKeys(List<TrustedKey> value) {
    return new ProvenanceOptions(
        value, trustedRoot, expectedDigest, builderIds, identity, at, clock, requireInclusionProof);
  }

  public ProvenanceOptions withTrustedRoot(TrustedRoot value) {
    return new ProvenanceOptions(
        keys, value, expectedDigest, builderIds, identity, at, clock, requireInclusionProof);
  }

  public ProvenanceOptions withExpectedDigest(ArtifactDigest value) {
    return new ProvenanceOptions(
        keys, trustedRoot, value, builderIds, identity, at, clock, requireInclusionProof);
  }

  public ProvenanceOptions withBuilderIds(Set<String> value) {
    return new ProvenanceOptions(
        keys, trustedRoot, expectedDigest, value, identity, at, clock, requireInclusionProof);
  }

  public ProvenanceOptions withIdentity(IdentityPolicy value) {
    return new ProvenanceOptions(
        keys, trustedRoot, expectedDigest, builderIds, value, at, clock, requireInclusionProof);
  }

  /**
   * Requires a certificate identity matching {@code identity} (whole match; null: none) and the
   * exact OIDC issuer {@code issuer} (null: none).
   */
  public ProvenanceOptions withIdentity(Pattern identity, String issuer) {
    return withIdentity(
        new IdentityPolicy(
            identity == null ? List.of() : List.of(IdentityPolicy.NameMatch.regexp(identity)),
            issuer == null ? List.of() : List.of(IdentityPolicy.NameMatch.exact(issuer)),
            this.identity.insecureIgnore()));
  }

  /** Accepts keyless signatures without both an identity and an issuer requirement. */
  public ProvenanceOptions withInsecureIgnoreIdentity() {
    return withIdentity(identity.withInsecureIgnore(true));
  }

  public ProvenanceOptions withAt(Instant value) {
    return new ProvenanceOptions(
        keys,
        trustedRoot,
        expectedDigest,
        builderIds,
        identity,
        value,
        clock,
        requireInclusionProof);
  }

  public ProvenanceOptions withClock(Clock value) {
    return new ProvenanceOptions(
        keys, trustedRoot, expectedDigest, builderIds, identity, at, value, requireInclusionProof);
  }

  public ProvenanceOptions withRequireInclusionProof(boolean value) {
    return new ProvenanceOptions(
        keys, trustedRoot, expectedDigest, builderIds, identity, at, clock, value);
  }
}
