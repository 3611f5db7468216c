// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.KeySignatures;
import dev.arbiter.crypto.Providers;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.IdentityPolicy;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a Sigstore bundle fully offline: every transparency-log entry (SET, inclusion proof,
 * checkpoint, and that its body records this envelope, signature and signer), then for keyless
 * bundles the Fulcio chain and embedded SCT at the verification time (the SET-verified integrated
 * time unless the caller fixes one) and the identity matchers, or for keyed bundles a configured
 * key; and the DSSE or message signature. Every independent problem is reported. Thread-safe.
 */
public final class BundleVerifier {
  private BundleVerifier() {}

  /** The verified signer and times (signer null when the signature did not verify). */
  public record Verification(Signer signer, Instant integratedTime, Instant verifiedAt) {}

  /**
   * What to trust when verifying a bundle.
   *
   * @param keys keys trusted for keyed bundles
   * @param trustedRoot the Sigstore trusted root
   * @param identity whom keyless signatures must come from
   * @param at verification time overriding the integrated time (null: none)
   * @param clock time source when neither {@code at} nor a log time applies
   * @param requireInclusionProof refuse SET-only (v0.1) entries
   */
  public record Options(
      List<TrustedKey> keys,
      TrustedRoot trustedRoot,
      IdentityPolicy identity,
      Instant at,
      Clock clock,
      boolean requireInclusionProof) {
    public Options {
      keys = List.copyOf(keys);
      Objects.requireNonNull(trustedRoot, "trustedRoot");
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(clock, "clock");
    }
  }

  public static Verification verify(Bundle bundle, Options options, List<Problem> problems) {
    TrustedRoot root = options.trustedRoot();
    int before = problems.size();
    if (bundle.tlogEntries().isEmpty()) {
      problems.add(
          Problem.of(
              ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISSING,
              "the bundle has no transparency-log entry"));
    }
    Instant integrated = null;
    for (TlogEntry entry : bundle.tlogEntries()) {
      if (options.requireInclusionProof() && entry.proof() == null) {
        problems.add(
            Problem.of(
                ProvenanceProblem.PROVENANCE_TLOG_ENTRY_MISSING,
                "tlog entry " + entry.logIndex() + " has no inclusion proof (required)"));
        continue;
      }
      Optional<Instant> time =
          attempt(problems, () -> TlogVerifier.verify(entry, bundle.version(), root));
      if (time != null && time.isPresent() && integrated == null) {
        integrated = time.get();
      }
    }
    Instant at = options.at() != null ? options.at() : integrated;
    Signer signer;
    PublicKey signingKey;
    byte[] signingDer;
    if (!bundle.certificates().isEmpty()) {
      X509Certificate leaf = bundle.certificates().get(0);
      signingKey = leaf.getPublicKey();
      signingDer = encoded(leaf);
      if (at == null && problems.size() == before) {
        problems.add(
            Problem.of(
                ProvenanceProblem.PROVENANCE_TIME_UNVERIFIED,
                "no SET-verified integrated time to check the certificate at (give --at)"));
      } else if (at != null) {
        X509Certificate issuer = attempt(problems, () -> FulcioVerifier.verify(leaf, root, at));
        if (issuer != null) {
          attempt(
              problems,
              () -> {
                Sct.verify(leaf, issuer, root);
                return Boolean.TRUE;
              });
        }
      }
      signer = identity(leaf, options, problems);
      if (!verifySignature(bundle, signingKey)) {
        problems.add(
            Problem.of(
                ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID,
                "the bundle signature does not verify under the signing certificate"));
        signer = null;
      }
    } else {
      TrustedKey key = attempt(problems, () -> keyFor(bundle, options.keys()));
      if (key == null) {
        return new Verification(null, integrated, at);
      }
      signingKey = key.key();
      signingDer = signingKey.getEncoded();
      signer = Signer.key(keyIdOf(bundle, key));
    }
    for (TlogEntry entry : bundle.tlogEntries()) {
      attempt(
          problems,
          () -> {
            TlogBody.check(entry, bundle, signingDer);
            return Boolean.TRUE;
          });
    }
    return new Verification(signer, integrated, at != null ? at : options.clock().instant());
  }

  /**
   * Checks the certificate identity and issuer against the policy. {@code identityChecked} is true
   * whenever a requirement was checked, whether it matched or not (a mismatch is a problem).
   */
  private static Signer identity(X509Certificate leaf, Options options, List<Problem> problems) {
    CertificateIdentity identity = CertificateIdentity.of(leaf);
    IdentityPolicy policy = options.identity();
    if (!policy.complete()) {
      problems.add(
          Problem.of(
              ProvenanceProblem.PROVENANCE_IDENTITY_REQUIRED,
              "keyless signature by '"
                  + identity.identity()
                  + "': require a certificate identity and an OIDC issuer"
                  + " (--certificate-identity[-regexp], --certificate-oidc-issuer[-regexp]) or pass"
                  + " --insecure-ignore-identity"));
    }
    if (!policy.identities().isEmpty()
        && policy.identities().stream().noneMatch(m -> m.matches(identity.identity()))) {
      problems.add(
          Problem.of(
              ProvenanceProblem.PROVENANCE_IDENTITY_MISMATCH,
              "certificate identity '"
                  + identity.identity()
                  + "' does not match "
                  + describe(policy.identities())));
    }
    if (!policy.issuers().isEmpty()
        && policy.issuers().stream().noneMatch(m -> m.matches(identity.issuer()))) {
      problems.add(
          Problem.of(
              ProvenanceProblem.PROVENANCE_IDENTITY_MISMATCH,
              "certificate OIDC issuer '"
                  + identity.issuer()
                  + "' does not match "
                  + describe(policy.issuers())));
    }
    return new Signer(
        Signer.CERTIFICATE,
        Hex.encode(Digests.sha256(encoded(leaf))),
        identity.identity(),
        identity.issuer(),
        policy.checks());
  }

  private static String describe(List<IdentityPolicy.NameMatch> matches) {
    return String.join(" or ", matches.stream().map(IdentityPolicy.NameMatch::describe).toList());
  }

  private static TrustedKey keyFor(Bundle bundle, List<TrustedKey> keys) {
    if (keys.isEmpty()) {
      throw new ProblemException(
          ProvenanceProblem.PROVENANCE_NO_TRUSTED_KEY,
          "the bundle is signed with a key and no key is configured (--key)");
    }
    List<TrustedKey> candidates =
        keys.stream().filter(k -> k.matchesHint(bundle.publicKeyHint())).toList();
    if (candidates.isEmpty()) {
      throw new ProblemException(
          ProvenanceProblem.PROVENANCE_NO_TRUSTED_KEY,
          "no configured key has the id the bundle names");
    }
    for (TrustedKey key : candidates) {
      if (verifySignature(bundle, key.key())) {
        return key;
      }
    }
    throw new ProblemException(
        ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID,
        "the bundle signature does not verify under a configured key");
  }

  private static String keyIdOf(Bundle bundle, TrustedKey key) {
    String hint = bundle.publicKeyHint();
    if (hint != null && !hint.isEmpty()) {
      return hint;
    }
    return key.id() != null ? key.id() : key.fingerprint();
  }

  /**
   * DSSE: some signature over the PAE verifies; message: the signature over the digest verifies.
   */
  static boolean verifySignature(Bundle bundle, PublicKey key) {
    if (bundle.envelope() != null) {
      byte[] pae = bundle.envelope().pae();
      return bundle.envelope().signatures().stream()
          .anyMatch(s -> KeySignatures.verify(key, pae, s.sig()));
    }
    Bundle.MessageSignature message = bundle.messageSignature();
    if (!message.algorithm().equals("SHA2_256") || message.digest().length != 32) {
      return false;
    }
    if (key instanceof java.security.interfaces.ECPublicKey) {
      return Providers.verify("NONEwithECDSA", key, message.digest(), message.signature());
    }
    return false;
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a check, recording its problem; returns null when it failed. */
  private static <T> T attempt(List<Problem> problems, java.util.function.Supplier<T> check) {
    try {
      return check.get();
    } catch (ProblemException e) {
      problems.addAll(e.problems());
      return null;
    }
  }
}
