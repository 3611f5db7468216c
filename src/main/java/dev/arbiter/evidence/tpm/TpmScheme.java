// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import dev.arbiter.crypto.ChainVerifier;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.problem.Problem;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * TPM 2.0 quotes ({@code tpm}): a TPMS_ATTEST of type quote, its signature by an attestation key,
 * the PCR values it commits to and its extra data.
 *
 * <p><b>Security guarantee.</b> A valid result means: the TPMS_ATTEST is a well-formed quote carrying
 * TPM_GENERATED_VALUE; its signature verifies under an AK that either chains to one of the EK/AK CA
 * certificates this scheme was constructed with, or was supplied explicitly by the caller as a key
 * (a TPMT_PUBLIC must then be a restricted signing key); the extra data equals the expected binding
 * exactly; and, when PCR values were supplied, the hash of the selected values equals the signed
 * pcrDigest (only then do PCR claims appear). Thread-safe.
 */
public final class TpmScheme implements EvidenceScheme {
  public static final String ID = "tpm";

  private static final SchemeDescriptor DESCRIPTOR =
      new SchemeDescriptor(ID, "1.0", List.of("application/vnd.tcg.tpms-attest"), TpmClaims.NAMES,
          "TPM 2.0 quote (TPMS_ATTEST + TPMT_SIGNATURE + PCR values)");

  private final List<X509Certificate> akCas;
  private final ChainVerifier chains = new ChainVerifier(256);

  /** A scheme trusting AK certificates that chain to {@code akCas} (EK/AK CA certificates). */
  public TpmScheme(List<X509Certificate> akCas) {
    this.akCas = List.copyOf(akCas);
  }

  /** No configured CA: every AK must be supplied as a key ({@code --key}). */
  public static TpmScheme withoutCas() {
    return new TpmScheme(List.of());
  }

  @Override
  public SchemeDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public VerificationResult verify(EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    TpmsAttest attest;
    try {
      attest = TpmsAttest.parse(input.evidence());
    } catch (TpmFormatException e) {
      return VerificationResult.failed(ID, Problem.of(typeOf(e), "TPMS_ATTEST: " + e.getMessage()));
    }
    Map<String, Object> claims = TpmClaims.quote(attest);
    List<Problem> problems = new ArrayList<>();
    AkResolver.Resolution ak = AkResolver.resolve(input, akCas, chains, context);
    problems.addAll(ak.problems());
    Map<String, Object> akClaims = new java.util.LinkedHashMap<>(ak.claims());
    Object revocation = akClaims.remove("revocation");
    Optional<TpmAlg> signedWith = verifySignature(input, attest, ak, claims, problems);
    checkBinding(attest, binding, problems);
    input.pcrs().ifPresent(bytes -> checkPcrs(bytes, attest, signedWith, claims, problems));
    claims.put("ak", akClaims);
    if (revocation != null) {
      claims.put("revocation", revocation);
    }
    return new VerificationResult(ID, new dev.arbiter.evidence.Claims(claims), problems);
  }

  private static Optional<TpmAlg> verifySignature(EvidenceInput input, TpmsAttest attest, AkResolver.Resolution ak,
      Map<String, Object> claims, List<Problem> problems) {
    if (input.signature().isEmpty()) {
      problems.add(Problem.of(EvidenceProblem.SIGNATURE_INVALID, "no quote signature supplied (--signature)"));
      return Optional.empty();
    }
    TpmSignature signature;
    try {
      signature = TpmSignature.parse(input.signature().get());
    } catch (TpmFormatException e) {
      problems.add(Problem.of(typeOf(e), "signature: " + e.getMessage()));
      return Optional.empty();
    }
    Map<String, Object> described = new java.util.LinkedHashMap<>();
    described.put("scheme", signature.scheme().name().toLowerCase(Locale.ROOT));
    signature.hash().ifPresent(hash -> described.put("hash", hash.bank()));
    claims.put("signature", described);
    if (ak.keys().isEmpty()) {
      return Optional.empty();
    }
    for (AkKeys.AkKey key : ak.keys()) {
      Optional<TpmAlg> hash = QuoteSignatures.verify(signature, key, attest.raw());
      if (hash.isPresent()) {
        described.put("hash", hash.get().bank());
        return hash;
      }
    }
    problems.add(Problem.of(EvidenceProblem.SIGNATURE_INVALID,
        "the quote signature (" + described.get("scheme") + ") does not verify under the attestation key"));
    return Optional.empty();
  }

  private static void checkBinding(TpmsAttest attest, ExpectedBinding binding, List<Problem> problems) {
    if (binding instanceof ExpectedBinding.Value value
        && !Digests.constantTimeEquals(value.bytes(), attest.extraData())) {
      problems.add(Problem.of(EvidenceProblem.REPORT_DATA_MISMATCH,
          "extraData (" + attest.extraData().length + " bytes) differs from the expected --report-data"));
    }
  }

  private static void checkPcrs(byte[] bytes, TpmsAttest attest, Optional<TpmAlg> signedWith,
      Map<String, Object> claims, List<Problem> problems) {
    PcrValues values;
    try {
      values = PcrValues.parse(bytes);
    } catch (TpmFormatException e) {
      problems.add(Problem.of(EvidenceProblem.EVIDENCE_MALFORMED, "--pcrs: " + e.getMessage()));
      return;
    }
    TpmAlg hash = signedWith.orElseGet(() -> TpmAlg.bySize(attest.pcrDigest().length).orElseThrow());
    var digest = dev.arbiter.crypto.Providers.digest(hash.jcaName);
    for (PcrSelection select : attest.pcrSelect()) {
      Map<Integer, byte[]> bank = values.banks().getOrDefault(select.bank(), Map.of());
      for (int pcr : select.pcrs()) {
        byte[] value = bank.get(pcr);
        if (value == null) {
          problems.add(Problem.of(EvidenceProblem.MEASUREMENT_MISMATCH,
              "PCR " + pcr + " of bank " + select.bank().bank() + " is quoted but not in --pcrs"));
          return;
        }
        digest.update(value);
      }
    }
    if (!Digests.constantTimeEquals(digest.digest(), attest.pcrDigest())) {
      problems.add(Problem.of(EvidenceProblem.MEASUREMENT_MISMATCH,
          "the " + hash.bank() + " digest of the supplied PCR values differs from the quote's pcrDigest"));
      return;
    }
    TpmClaims.pcrs(attest, values, claims);
  }

  private static EvidenceProblem typeOf(TpmFormatException e) {
    return e.unsupported() ? EvidenceProblem.UNSUPPORTED_VERSION : EvidenceProblem.EVIDENCE_MALFORMED;
  }
}
