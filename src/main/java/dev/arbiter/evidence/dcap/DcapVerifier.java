// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.crypto.CrlChecker;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The DCAP verification pipeline shared by the TDX and SGX schemes. Checks, collecting every
 * failure: (1) the quote signature by the attestation key over header || body; (2) the QE report
 * signature by the PCK key; (3) the QE report data binding {@code SHA-256(attestation key || QE
 * auth data) || 32 zero bytes}; (4) the PCK chain (embedded type-5 PEM chain, or certificates
 * supplied with {@code --cert}) up to the trust anchors, valid at the context's time; (5) CRLs of
 * that chain; (6) the expected report data; (7) TCB Info and QE Identity signatures, validity and
 * applicability, and the TCB status by Intel's rules. Pure apart from its bounded caches.
 */
public final class DcapVerifier {
  static final byte[] INTEL_QE_VENDOR_ID = Hex.decode("939a7233f79c4ca9940a0db3957f0607");

  private DcapVerifier() {}

  public static DcapVerification verify(
      DcapTrust trust,
      EvidenceInput input,
      ExpectedBinding binding,
      VerificationContext context,
      long expectedTeeType) {
    Quote quote;
    try {
      quote = QuoteParser.parse(input.evidence());
    } catch (QuoteFormatException e) {
      return DcapVerification.failed(e.problem());
    }
    if (quote.teeType() != expectedTeeType) {
      return DcapVerification.failed(
          Problem.of(
              EvidenceProblem.UNSUPPORTED_VERSION,
              "quote has TEE type 0x"
                  + Long.toHexString(quote.teeType())
                  + ", expected 0x"
                  + Long.toHexString(expectedTeeType)
                  + (expectedTeeType == Quote.TEE_TDX ? " (TDX)" : " (SGX)")));
    }
    Instant at = context.now();
    List<Problem> problems = new ArrayList<>();
    if (!Arrays.equals(quote.qeVendorId(), INTEL_QE_VENDOR_ID)) {
      problems.add(
          Problem.of(
              EvidenceProblem.UNSUPPORTED_VERSION,
              "QE vendor id " + Hex.encode(quote.qeVendorId()) + " is not Intel's"));
    }
    Optional<PublicKey> attestationKey =
        trust.attestationKeys.computeIfAbsent(
            Hex.encode(quote.attestationKey()), ignored -> Ecdsa.publicKey(quote.attestationKey()));
    if (attestationKey.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.SIGNATURE_INVALID, "the attestation key is not a P-256 point"));
    } else if (!Ecdsa.verify(attestationKey.get(), quote.signedBytes(), quote.signature())) {
      problems.add(
          Problem.of(
              EvidenceProblem.SIGNATURE_INVALID,
              "the quote signature does not verify under the attestation key"));
    }
    byte[] expectedQeData =
        Arrays.copyOf(Digests.sha256(concat(quote.attestationKey(), quote.qeAuthData())), 64);
    if (!Digests.constantTimeEquals(expectedQeData, quote.qeReport().reportData())) {
      problems.add(
          Problem.of(
              EvidenceProblem.KEY_BINDING_INVALID,
              "QE report data is not SHA-256(attestation key || QE auth data) followed by zeros"));
    }
    if (binding instanceof ExpectedBinding.Value value
        && !value.matches(quote.body().reportData())) {
      problems.add(
          Problem.of(
              EvidenceProblem.REPORT_DATA_MISMATCH, "report_data is not the expected value"));
    }

    ParsedCollateral collateral = collateral(trust, input);
    problems.addAll(collateral.problems());
    List<X509Certificate> chain = PckChain.of(trust, quote, input, problems);
    if (chain.isEmpty()) {
      return new DcapVerification(
          Optional.of(quote),
          Optional.empty(),
          TcbEvaluation.UNKNOWN,
          List.of(),
          "unchecked",
          Optional.empty(),
          problems);
    }
    X509Certificate pckLeaf = chain.get(0);
    String qeKey =
        DcapTrust.key(
            quote.qeReportBytes(), quote.qeReportSignature(), pckLeaf.getPublicKey().getEncoded());
    if (!trust.signatures.computeIfAbsent(
        qeKey,
        ignored ->
            Ecdsa.verify(
                pckLeaf.getPublicKey(), quote.qeReportBytes(), quote.qeReportSignature()))) {
      problems.add(
          Problem.of(
              EvidenceProblem.SIGNATURE_INVALID,
              "the QE report signature does not verify under the PCK certificate's key"));
    }
    Optional<PckExtensions> pck = trust.pckExtensions.computeIfAbsent(pckLeaf, PckExtensions::of);
    if (pck.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.CERTIFICATE_MALFORMED,
              "the PCK certificate has no valid Intel SGX extension ("
                  + PckExtensions.SGX_EXTENSION_OID
                  + ")"));
    }
    boolean revocationChecked = false;
    Optional<String> issuer = Optional.empty();
    ChainVerifier.Result result = Chains.verify(trust, chain, at);
    if (result instanceof ChainVerifier.Result.Valid valid) {
      CrlChecker.Outcome crl =
          RevocationCheck.check(
              trust, valid.path(), collateral.crls(), at, context.allowStaleCrl());
      problems.addAll(RevocationCheck.problems(crl, "PCK chain"));
      revocationChecked = crl.status() == CrlChecker.Status.CHECKED;
      issuer = pckIssuer(valid.path());
    } else {
      ChainVerifier.Result.Invalid invalid = (ChainVerifier.Result.Invalid) result;
      problems.add(
          Problem.of(
              invalid.failure() == ChainVerifier.Failure.EXPIRED
                  ? EvidenceProblem.CERTIFICATE_EXPIRED
                  : EvidenceProblem.CERTIFICATE_CHAIN_INVALID,
              "PCK chain: " + invalid.detail()));
    }
    if (pck.isEmpty()) {
      return new DcapVerification(
          Optional.of(quote), pck, TcbEvaluation.UNKNOWN, List.of(), "unchecked", issuer, problems);
    }
    TcbEvaluation tcb = TcbEvaluator.evaluate(trust, quote, pck.get(), collateral, at);
    problems.addAll(tcb.problems());
    for (List<X509Certificate> path : tcb.signingPaths()) {
      CrlChecker.Outcome crl =
          RevocationCheck.check(trust, path, collateral.crls(), at, context.allowStaleCrl());
      problems.addAll(RevocationCheck.problems(crl, "TCB signing chain"));
      revocationChecked &= crl.status() == CrlChecker.Status.CHECKED;
    }
    if (!revocationChecked
        && context.requireRevocation()
        && result instanceof ChainVerifier.Result.Valid) {
      problems.add(
          Problem.of(
              EvidenceProblem.REVOCATION_UNCHECKED,
              "no current CRL was supplied for every certificate of the PCK and TCB signing"
                  + " chains"));
    }
    return new DcapVerification(
        Optional.of(quote),
        pck,
        tcb.status(),
        tcb.advisoryIds(),
        revocationChecked ? "checked" : "unchecked",
        issuer,
        problems);
  }

  private static ParsedCollateral collateral(DcapTrust trust, EvidenceInput input) {
    List<ParsedCollateral> parts = new ArrayList<>();
    StringBuilder mergedKey = new StringBuilder();
    for (EvidenceInput.Collateral file : input.collateral()) {
      String key = Hex.encode(Digests.sha256(file.bytes()));
      mergedKey.append(key);
      parts.add(
          trust.collateral.computeIfAbsent(
              key, ignored -> CollateralParser.parse(file.name(), file.bytes())));
    }
    if (parts.size() <= 1) {
      return parts.isEmpty() ? ParsedCollateral.empty() : parts.get(0);
    }
    return trust.mergedCollateral.computeIfAbsent(
        mergedKey.toString(), ignored -> ParsedCollateral.merge(parts));
  }

  private static Optional<String> pckIssuer(List<X509Certificate> path) {
    if (path.size() < 2) {
      return Optional.empty();
    }
    String name = path.get(1).getSubjectX500Principal().getName();
    if (name.contains("Platform CA")) {
      return Optional.of("platform");
    }
    return name.contains("Processor CA") ? Optional.of("processor") : Optional.empty();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
