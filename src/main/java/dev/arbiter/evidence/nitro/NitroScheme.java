// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nitro;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * AWS Nitro Enclaves attestation documents (scheme id {@code nitro}).
 *
 * <p><b>Security guarantee.</b> A valid result means: the document decoded strictly, its COSE_Sign1
 * ES384 signature verifies under the key of its leaf certificate, the leaf chains through the
 * document's {@code cabundle} to one of this scheme's roots (production: the AWS Nitro Enclaves
 * Root-G1 pinned by SHA-256 fingerprint) with every certificate valid at the context's time, and,
 * if a binding is expected, {@code nonce} carries it. Debug-mode enclaves are reported as the claim
 * {@code debug}, not rejected (appraisal decides). Thread-safe; verified chains are cached
 * (bounded).
 */
public final class NitroScheme implements EvidenceScheme {
  public static final String ID = "nitro";

  /** SHA-256 of the AWS Nitro Enclaves Root-G1 certificate (DER), as AWS documents it. */
  public static final String ROOT_G1_SHA256 =
      "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b";

  private static final SchemeDescriptor DESCRIPTOR =
      new SchemeDescriptor(
          ID,
          "1.0",
          List.of("application/vnd.aws.nitro-enclaves.attestation+cbor"),
          NitroClaims.NAMES,
          NitroClaims.BYTE_CLAIMS,
          "AWS Nitro Enclaves attestation document (COSE_Sign1, ES384, AWS root)",
          new SchemeDescriptor.BindingRule.NonceWithKey("public_key"),
          java.util.Optional.empty(),
          SchemeDescriptor.Kind.CPU,
          false);

  private final List<X509Certificate> roots;
  private final ChainVerifier chains = new ChainVerifier(4096);
  private final ParsedCertificates parsed = new ParsedCertificates(4096);

  /** A scheme trusting {@code roots} (tests inject their own Nitro-like PKI here). */
  public NitroScheme(List<X509Certificate> roots) {
    this.roots = List.copyOf(roots);
    if (this.roots.isEmpty()) {
      throw new IllegalArgumentException("at least one root");
    }
  }

  /**
   * The production scheme: the AWS Nitro Enclaves Root-G1 shipped with Arbiter,
   * fingerprint-checked.
   */
  public static NitroScheme withPinnedRoot() {
    try (InputStream in = NitroScheme.class.getResourceAsStream("AWS_NitroEnclaves_Root-G1.pem")) {
      X509Certificate root =
          Certificates.parse(Objects.requireNonNull(in, "root resource").readAllBytes()).get(0);
      if (!Certificates.fingerprint(root).equals(ROOT_G1_SHA256)) {
        throw new IllegalStateException(
            "shipped AWS Nitro root does not match its pinned fingerprint");
      }
      return new NitroScheme(List.of(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CertificateException e) {
      throw new IllegalStateException("shipped AWS Nitro root cannot be parsed", e);
    }
  }

  @Override
  public SchemeDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    NitroDocument document;
    try {
      document = NitroDocument.parse(NitroContainers.unwrap(input.evidence()));
    } catch (ProblemException e) {
      return new VerificationResult(ID, Claims.empty(), e.problems());
    }
    List<Problem> problems = new ArrayList<>();
    X509Certificate leaf = null;
    List<X509Certificate> chain = new ArrayList<>();
    try {
      leaf = parsed.parse(document.certificate());
      chain.add(leaf);
      List<byte[]> bundle = document.cabundle();
      for (int i = bundle.size() - 1; i >= 0; i--) {
        chain.add(parsed.parse(bundle.get(i)));
      }
    } catch (CertificateException e) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_MALFORMED,
              "Nitro certificate or cabundle entry cannot be parsed"));
    }
    if (leaf != null) {
      var mismatch = document.cose().algorithm().keyMismatch(leaf.getPublicKey());
      if (mismatch.isPresent()) {
        problems.add(
            Problem.of(
                EvidenceProblem.SIGNATURE_INVALID,
                "Nitro leaf certificate key: " + mismatch.get()));
      } else if (!document.cose().verify(leaf.getPublicKey())) {
        problems.add(
            Problem.of(
                EvidenceProblem.SIGNATURE_INVALID,
                "Nitro document signature does not verify under its leaf certificate"));
      }
    }
    if (leaf != null && chain.size() == 1 + document.cabundle().size()) {
      switch (chains.verify(chain, roots, context.now())) {
        case ChainVerifier.Result.Valid valid -> {}
        case ChainVerifier.Result.Invalid invalid ->
            problems.add(
                Problem.of(
                    invalid.failure() == ChainVerifier.Failure.EXPIRED
                        ? EvidenceProblem.CERTIFICATE_EXPIRED
                        : EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
                    "Nitro certificate chain: " + invalid.detail()));
      }
    }
    if (binding instanceof ExpectedBinding.Value expected) {
      if (document.nonce().isEmpty()) {
        problems.add(
            Problem.of(
                EvidenceProblem.REPORT_DATA_MISMATCH,
                "Nitro document has no nonce but one is expected"));
      } else if (!expected.matches(document.nonce().get())) {
        problems.add(
            Problem.of(
                EvidenceProblem.REPORT_DATA_MISMATCH,
                "Nitro document nonce differs from the expected value"));
      }
    }
    return new VerificationResult(ID, NitroClaims.of(document), problems);
  }
}
