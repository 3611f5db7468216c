// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

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
 * @param identity regular expression the whole certificate identity (SAN) must match (null: none)
 * @param oidcIssuer exact OIDC issuer the certificate must carry (null: none)
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
    Pattern identity,
    String oidcIssuer,
    Instant at,
    Clock clock,
    boolean requireInclusionProof) {

  public ProvenanceOptions {
    keys = List.copyOf(keys);
    Objects.requireNonNull(trustedRoot, "trustedRoot");
    builderIds = Set.copyOf(builderIds);
    Objects.requireNonNull(clock, "clock");
  }

  /** No keys, the shipped Sigstore public-good root, no digest, identity or builder constraints. */
  public static ProvenanceOptions defaults() {
    return new ProvenanceOptions(List.of(), TrustedRoot.publicGood(), null, Set.of(), null, null, null, Clock.systemUTC(), false);
  }

  public ProvenanceOptions withKeys(List<TrustedKey> value) {
    return new ProvenanceOptions(value, trustedRoot, expectedDigest, builderIds, identity, oidcIssuer, at, clock, requireInclusionProof);
  }

  public ProvenanceOptions withTrustedRoot(TrustedRoot value) {
    return new ProvenanceOptions(keys, value, expectedDigest, builderIds, identity, oidcIssuer, at, clock, requireInclusionProof);
  }

  public ProvenanceOptions withExpectedDigest(ArtifactDigest value) {
    return new ProvenanceOptions(keys, trustedRoot, value, builderIds, identity, oidcIssuer, at, clock, requireInclusionProof);
  }

  public ProvenanceOptions withBuilderIds(Set<String> value) {
    return new ProvenanceOptions(keys, trustedRoot, expectedDigest, value, identity, oidcIssuer, at, clock, requireInclusionProof);
  }

  public ProvenanceOptions withIdentity(Pattern value, String issuer) {
    return new ProvenanceOptions(keys, trustedRoot, expectedDigest, builderIds, value, issuer, at, clock, requireInclusionProof);
  }

  public ProvenanceOptions withAt(Instant value) {
    return new ProvenanceOptions(keys, trustedRoot, expectedDigest, builderIds, identity, oidcIssuer, value, clock, requireInclusionProof);
  }

  public ProvenanceOptions withClock(Clock value) {
    return new ProvenanceOptions(keys, trustedRoot, expectedDigest, builderIds, identity, oidcIssuer, at, value, requireInclusionProof);
  }

  public ProvenanceOptions withRequireInclusionProof(boolean value) {
    return new ProvenanceOptions(keys, trustedRoot, expectedDigest, builderIds, identity, oidcIssuer, at, clock, value);
  }
}
