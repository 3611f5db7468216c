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
import dev.arbiter.evidence.eventlog.EventLogs;
import dev.arbiter.evidence.eventlog.Profile;
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
 * <p><b>Security guarantee.</b> A valid result means: the TPMS_ATTEST is a well-formed quote
 * carrying TPM_GENERATED_VALUE; its signature verifies under an AK that either chains to one of the
 * EK/AK CA certificates this scheme was constructed with, or was supplied explicitly by the caller
 * as a key (a TPMT_PUBLIC must then be a restricted signing key); the extra data equals the
 * expected binding exactly; and, when PCR values were supplied, the hash of the selected values
 * equals the signed pcrDigest (only then do PCR claims appear). Thread-safe.
 */
public final class TpmScheme implements EvidenceScheme {
  public static final String ID = "tpm";

  /** Trustee's TPM attester zero-pads its report data to this many bytes of extraData. */
  private static final int PADDED_EXTRA_DATA = 64;

  private static final SchemeDescriptor DESCRIPTOR =
      new SchemeDescriptor(
          ID,
          "1.0",
          List.of("application/vnd.tcg.tpms-attest"),
          TpmClaims.NAMES,
          TpmClaims.BYTE_CLAIMS,
          "TPM 2.0 quote (TPMS_ATTEST + TPMT_SIGNATURE + PCR values)",
          new SchemeDescriptor.BindingRule.Sha256OfB(),
          Optional.empty(),
          SchemeDescriptor.Kind.CPU,
          false);

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

  /**
   * The PCRs a TPMS_ATTEST quote selects, one entry per TPMS_PCR_SELECTION in quote order: bank
   * name ({@code sha256}, ...) and ascending indices, i.e. the order in which its pcrDigest hashes
   * the values. For containers that list PCR values without indices (Azure vTPM quotes). Parses
   * only; nothing is verified. Empty when {@code attest} is not a well-formed quote.
   */
  public static Optional<List<Map.Entry<String, List<Integer>>>> quotedPcrs(byte[] attest) {
    try {
      List<Map.Entry<String, List<Integer>>> out = new ArrayList<>();
      for (PcrSelection select : TpmsAttest.parse(attest).pcrSelect()) {
        out.add(Map.entry(select.bank().bank(), select.pcrs()));
      }
      return Optional.of(List.copyOf(out));
    } catch (TpmFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public SchemeDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public VerificationResult verify(
      EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    Optional<String> form = TpmContainer.sniff(input.evidence());
    if (form.isPresent()) {
      return verifyContainer(form.get(), input, binding, context);
    }
    Optional<PcrValues> pcrs = Optional.empty();
    List<Problem> problems = new ArrayList<>();
    if (input.pcrs().isPresent()) {
      try {
        pcrs = Optional.of(PcrValues.parse(input.pcrs().get()));
      } catch (TpmFormatException e) {
        problems.add(Problem.of(EvidenceProblem.EVIDENCE_MALFORMED, "--pcrs: " + e.getMessage()));
      }
    }
    AkResolver.Resolution ak = AkResolver.resolve(input, akCas, chains, context);
    VerificationResult quote =
        verifyQuote(input.evidence(), input.signature(), pcrs, ak, binding, false, problems);
    return withEventLog(quote, input.eventLog());
  }

  /**
   * Replays {@code eventLog} against the PCR values a valid result verified, adding its problems or
   * its claims ({@code event_log}, {@code events}, {@code secure_boot}, {@code boot}). A result
   * that already failed is returned as is: a log is never judged against unverified PCRs.
   */
  private static VerificationResult withEventLog(
      VerificationResult result, Optional<byte[]> eventLog) {
    if (eventLog.isEmpty() || !result.valid()) {
      return result;
    }
    Map<String, Map<Integer, byte[]>> signed = new java.util.LinkedHashMap<>();
    if (result.claims().values().get("pcrs") instanceof Map<?, ?> banks) {
      banks.forEach((bank, values) -> {
        Map<Integer, byte[]> out = new java.util.TreeMap<>();
        ((Map<?, ?>) values)
            .forEach((name, hex) ->
                out.put(
                    Integer.parseInt(((String) name).substring(3)),
                    dev.arbiter.internal.Hex.decode((String) hex)));
        signed.put((String) bank, out);
      });
    }
    if (signed.isEmpty()) {
      return new VerificationResult(
          ID,
          result.claims(),
          List.of(
              Problem.of(
                  EvidenceProblem.EVENT_LOG_MISMATCH,
                  "an event log was supplied but no PCR values (--pcrs) were verified against the"
                      + " quote")));
    }
    EventLogs.Outcome outcome = EventLogs.verify(eventLog.get(), Profile.TPM, signed, "the quote");
    Map<String, Object> claims = new java.util.LinkedHashMap<>(result.claims().values());
    claims.putAll(outcome.claims());
    return new VerificationResult(ID, new dev.arbiter.evidence.Claims(claims), outcome.problems());
  }

  private VerificationResult verifyQuote(
      byte[] evidence,
      Optional<byte[]> signature,
      Optional<PcrValues> pcrs,
      AkResolver.Resolution ak,
      ExpectedBinding binding,
      boolean paddedExtraData,
      List<Problem> earlier) {
    TpmsAttest attest;
    try {
      attest = TpmsAttest.parse(evidence);
    } catch (TpmFormatException e) {
      return VerificationResult.failed(ID, Problem.of(typeOf(e), "TPMS_ATTEST: " + e.getMessage()));
    }
    Map<String, Object> claims = TpmClaims.quote(attest);
    List<Problem> problems = new ArrayList<>(earlier);
    problems.addAll(ak.problems());
    Map<String, Object> akClaims = new java.util.LinkedHashMap<>(ak.claims());
    Object revocation = akClaims.remove("revocation");
    Optional<TpmAlg> signedWith = verifySignature(signature, attest, ak, claims, problems);
    checkBinding(attest, binding, paddedExtraData, problems);
    pcrs.ifPresent(values -> checkPcrs(values, attest, signedWith, claims, problems));
    claims.put("ak", akClaims);
    if (revocation != null) {
      claims.put("revocation", revocation);
    }
    return new VerificationResult(ID, new dev.arbiter.evidence.Claims(claims), problems);
  }

  /**
   * A container (go-tpm-tools, Trustee, go-attestation, Keylime): every quote must verify; claims
   * of the first, PCRs of all. Without {@code --key}, a go-tpm-tools AK certificate leads the
   * {@code --cert} chain; an embedded AK public key is never trusted by itself, but when {@code
   * --key} is given it must be that key.
   */
  private VerificationResult verifyContainer(
      String sniffed, EvidenceInput input, ExpectedBinding binding, VerificationContext context) {
    TpmContainer container;
    try {
      container = TpmContainer.parse(sniffed, input.evidence());
    } catch (TpmFormatException e) {
      String what =
          switch (sniffed) {
            case "go-tpm-tools" -> "go-tpm-tools attestation";
            case "keylime" -> "Keylime quote";
            default -> "TPM evidence JSON";
          };
      return VerificationResult.failed(ID, Problem.of(typeOf(e), what + ": " + e.getMessage()));
    }
    EvidenceInput forAk = input;
    if (input.keys().isEmpty() && container.akCert().isPresent()) {
      List<byte[]> chain = new ArrayList<>(List.of(container.akCert().get()));
      chain.addAll(input.certificates());
      forAk = input.withCertificates(chain);
    }
    AkResolver.Resolution ak = AkResolver.resolve(forAk, akCas, chains, context);
    Map<String, Object> claims = new java.util.LinkedHashMap<>();
    Map<String, Object> banks = new java.util.LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>(embeddedKeyProblems(container, ak));
    List<GoTpmToolsAttestation.Quote> quotes = container.quotes();
    for (int i = 0; i < quotes.size(); i++) {
      GoTpmToolsAttestation.Quote quote = quotes.get(i);
      VerificationResult one =
          verifyQuote(
              quote.attest(),
              Optional.of(quote.signature()),
              Optional.of(quote.pcrs()),
              i == 0 ? ak : new AkResolver.Resolution(ak.keys(), ak.claims(), List.of()),
              binding,
              container.paddedExtraData(),
              List.of());
      for (Problem problem : one.problems()) {
        problems.add(
            Problem.of(
                problem.type(),
                quotes.size() == 1 ? problem.detail() : "quote[" + i + "]: " + problem.detail()));
      }
      Map<String, Object> values = one.claims().values();
      if (i == 0) {
        claims.putAll(values);
      }
      values.forEach((name, value) -> {
        if (name.startsWith("pcr") && !name.startsWith("pcr_") || name.contains(":pcr")) {
          claims.put(name, value);
        }
      });
      if (values.get("pcrs") instanceof Map<?, ?> quoted) {
        quoted.forEach((bank, pcrValues) -> banks.put((String) bank, pcrValues));
      }
    }
    claims.remove("pcrs");
    if (!banks.isEmpty()) {
      claims.put("pcrs", banks);
    }
    if (quotes.size() > 1 || container.form().equals("go-tpm-tools")) {
      claims.put("quote_count", (long) quotes.size());
    }
    claims.put("container", container.form());
    Optional<byte[]> eventLog = container.eventLog();
    if (input.eventLog().isPresent()) {
      if (eventLog.isPresent()
          && !java.util.Arrays.equals(eventLog.get(), input.eventLog().get())) {
        problems.add(
            Problem.of(
                EvidenceProblem.EVIDENCE_MALFORMED,
                "the "
                    + container.form()
                    + " evidence carries an event log and --event-log differs"));
      }
      eventLog = input.eventLog();
    }
    return withEventLog(
        new VerificationResult(ID, new dev.arbiter.evidence.Claims(claims), problems), eventLog);
  }

  /** When keys are supplied, the container's own AK public key must be one of them. */
  private static List<Problem> embeddedKeyProblems(
      TpmContainer container, AkResolver.Resolution ak) {
    if (container.akPublic().isEmpty() || ak.keys().isEmpty()) {
      return List.of();
    }
    byte[] embedded = container.akPublic().get();
    List<AkKeys.AkKey> keys;
    try {
      keys =
          embedded.length > 0 && embedded[0] == 0x30
              ? List.of(new AkKeys.AkKey(AkKeys.spki(embedded), Optional.empty()))
              : AkKeys.parse(embedded);
    } catch (TpmFormatException e) {
      return List.of(
          Problem.of(
              EvidenceProblem.KEY_MALFORMED,
              container.form() + " AK public key: " + e.getMessage()));
    }
    for (AkKeys.AkKey key : keys) {
      for (AkKeys.AkKey trusted : ak.keys()) {
        if (java.util.Arrays.equals(key.key().getEncoded(), trusted.key().getEncoded())) {
          return List.of();
        }
      }
    }
    return List.of(
        Problem.of(
            EvidenceProblem.KEY_BINDING_INVALID,
            "the "
                + container.form()
                + " evidence names an AK public key other than the trusted one"));
  }

  private static Optional<TpmAlg> verifySignature(
      Optional<byte[]> supplied,
      TpmsAttest attest,
      AkResolver.Resolution ak,
      Map<String, Object> claims,
      List<Problem> problems) {
    if (supplied.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.SIGNATURE_INVALID, "no quote signature supplied (--signature)"));
      return Optional.empty();
    }
    TpmSignature signature;
    try {
      signature = TpmSignature.parse(supplied.get());
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
    problems.add(
        Problem.of(
            EvidenceProblem.SIGNATURE_INVALID,
            "the quote signature ("
                + described.get("scheme")
                + ") does not verify under the attestation key"));
    return Optional.empty();
  }

  private static void checkBinding(
      TpmsAttest attest, ExpectedBinding binding, boolean padded, List<Problem> problems) {
    if (binding instanceof ExpectedBinding.Value value
        && !Digests.constantTimeEquals(value.bytes(), attest.extraData())
        && !(padded
            && value.bytes().length < PADDED_EXTRA_DATA
            && Digests.constantTimeEquals(
                java.util.Arrays.copyOf(value.bytes(), PADDED_EXTRA_DATA), attest.extraData()))) {
      problems.add(
          Problem.of(
              EvidenceProblem.REPORT_DATA_MISMATCH,
              "extraData ("
                  + attest.extraData().length
                  + " bytes) differs from the expected --report-data"));
    }
  }

  private static void checkPcrs(
      PcrValues values,
      TpmsAttest attest,
      Optional<TpmAlg> signedWith,
      Map<String, Object> claims,
      List<Problem> problems) {
    TpmAlg hash =
        signedWith.orElseGet(() -> TpmAlg.bySize(attest.pcrDigest().length).orElseThrow());
    List<byte[]> quoted = new ArrayList<>();
    for (PcrSelection select : attest.pcrSelect()) {
      Map<Integer, byte[]> bank = values.banks().getOrDefault(select.bank(), Map.of());
      for (int pcr : select.pcrs()) {
        byte[] value = bank.get(pcr);
        if (value == null) {
          problems.add(
              Problem.of(
                  EvidenceProblem.MEASUREMENT_MISMATCH,
                  "PCR "
                      + pcr
                      + " of bank "
                      + select.bank().bank()
                      + " is quoted but not in --pcrs"));
          return;
        }
        quoted.add(value);
      }
    }
    if (!Digests.constantTimeEquals(
        Digests.digest(hash.jcaName, quoted.toArray(byte[][]::new)), attest.pcrDigest())) {
      problems.add(
          Problem.of(
              EvidenceProblem.MEASUREMENT_MISMATCH,
              "the "
                  + hash.bank()
                  + " digest of the supplied PCR values differs from the quote's pcrDigest"));
      return;
    }
    TpmClaims.pcrs(attest, values, claims);
  }

  private static EvidenceProblem typeOf(TpmFormatException e) {
    return e.unsupported()
        ? EvidenceProblem.UNSUPPORTED_VERSION
        : EvidenceProblem.EVIDENCE_MALFORMED;
  }
}
