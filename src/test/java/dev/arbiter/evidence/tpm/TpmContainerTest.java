// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.eventlog.EventLogBuilder;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The TPM containers real attesters send, generated with test AKs: Trustee's TPM evidence JSON,
 * go-attestation's PlatformParameters JSON and Keylime's quote string, each recognized by content,
 * with and without an event log.
 */
class TpmContainerTest {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2026-01-01T00:00:00Z"));
  private static final KeyPair AK = CertBuilder.rsaKeyPair(2048);
  private static final KeyPair OTHER = CertBuilder.rsaKeyPair(2048);
  private static final byte[] NONCE = Digests.sha256("binding".getBytes(StandardCharsets.UTF_8));
  private static final EventLogBuilder LOG =
      EventLogBuilder.tpm(EventLogBuilder.SHA256)
          .secureBoot(7, true)
          .application(4, "shim")
          .application(4, "kernel")
          .grubCmdline(8, "/vmlinuz ro lockdown=integrity");

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** All 24 SHA-256 PCRs: the log's registers, zeros elsewhere. */
  private static Map<Integer, byte[]> allPcrs() {
    Map<Integer, byte[]> pcrs = new TreeMap<>();
    for (int i = 0; i < 24; i++) {
      pcrs.put(i, new byte[32]);
    }
    pcrs.putAll(LOG.sha256());
    return pcrs;
  }

  private static byte[] trustee(byte[] extraData, byte[] akPublic, boolean withLog)
      throws Exception {
    Map<Integer, byte[]> pcrs = allPcrs();
    byte[] attest = TpmFixtures.quote(extraData, pcrs);
    List<String> hex = new ArrayList<>();
    pcrs.values().forEach(value -> hex.add(Hex.encode(value)));
    Map<String, Object> quote = new LinkedHashMap<>();
    quote.put("signature", b64(TpmFixtures.rsassa(AK.getPrivate(), attest)));
    quote.put("message", b64(attest));
    quote.put("pcrs", hex);
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("report_data", b64(Arrays.copyOf(extraData, 64)));
    evidence.put("tpm_quote", quote);
    evidence.put("ak_public", b64(akPublic));
    if (withLog) {
      evidence.put("event_log", b64(LOG.build()));
    }
    return Json.write(evidence).getBytes(StandardCharsets.UTF_8);
  }

  private static EvidenceInput withKey(byte[] evidence, KeyPair key) {
    return EvidenceInput.of(evidence)
        .withKeys(List.of(TpmFixtures.pem(key.getPublic()).getBytes(StandardCharsets.US_ASCII)));
  }

  private static VerificationResult verify(EvidenceInput input) {
    return TpmScheme.withoutCas().verify(input, ExpectedBinding.exactly(NONCE), AT);
  }

  @Test
  void trustee_paddedReportDataAndTpmtAk_verifiesWithEventLogClaims() throws Exception {
    byte[] evidence = trustee(Arrays.copyOf(NONCE, 64), TpmFixtures.tpmtPublic(AK, true), true);

    VerificationResult result = verify(withKey(evidence, AK));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("container")).contains("trustee");
    assertThat(result.claims().get("pcr7")).contains(Hex.encode(LOG.sha256().get(7)));
    assertThat(result.claims().get("secure_boot.enabled")).contains(true);
    assertThat(result.claims().get("boot.cmdline")).contains("/vmlinuz ro lockdown=integrity");
    assertThat(result.claims().get("quote_count")).isEmpty();
  }

  @Test
  void trustee_derSpkiAk_withoutLog_verifies() throws Exception {
    byte[] evidence = trustee(NONCE, AK.getPublic().getEncoded(), false);

    VerificationResult result = verify(withKey(evidence, AK));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("event_log.banks")).isEmpty();
  }

  @Test
  void trustee_withoutTrustedKey_isRefused() throws Exception {
    byte[] evidence = trustee(NONCE, TpmFixtures.tpmtPublic(AK, true), false);

    VerificationResult result = verify(EvidenceInput.of(evidence));

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.CERTIFICATE_MISSING);
  }

  @Test
  void trustee_embeddedAkOtherThanTrustedKey_isKeyBindingInvalid() throws Exception {
    // signed by AK, names OTHER: the named key is not the trusted one
    byte[] evidence = trustee(NONCE, TpmFixtures.tpmtPublic(OTHER, true), false);

    VerificationResult result = verify(withKey(evidence, AK));

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.KEY_BINDING_INVALID);
  }

  @Test
  void trustee_otherReportData_isReportDataMismatch() throws Exception {
    byte[] evidence =
        trustee(Arrays.copyOf(new byte[] {1}, 64), TpmFixtures.tpmtPublic(AK, true), false);

    VerificationResult result = verify(withKey(evidence, AK));

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
  }

  @Test
  void trustee_logNotMatchingQuotedPcrs_isEventLogMismatch() throws Exception {
    Map<String, Object> tree =
        Json.mapper()
            .readValue(
                trustee(NONCE, TpmFixtures.tpmtPublic(AK, true), false),
                new com.fasterxml.jackson.core.type.TypeReference<
                    LinkedHashMap<String, Object>>() {});
    tree.put(
        "event_log", b64(EventLogBuilder.tpm(EventLogBuilder.SHA256).secureBoot(7, false).build()));

    VerificationResult result =
        verify(withKey(Json.write(tree).getBytes(StandardCharsets.UTF_8), AK));

    assertThat(result.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVENT_LOG_MISMATCH);
          assertThat(problem.detail()).contains("pcr 7");
        });
    assertThat(result.claims().get("secure_boot.enabled")).isEmpty();
  }

  private static byte[] platformParameters(boolean withLog) throws Exception {
    Map<Integer, byte[]> pcrs = new TreeMap<>(LOG.sha256());
    byte[] attest = TpmFixtures.quote(NONCE, pcrs);
    List<Map<String, Object>> pcrList = new ArrayList<>();
    pcrs.forEach((index, value) ->
        pcrList.add(Map.of("Index", index, "Digest", b64(value), "DigestAlg", 5)));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("TPMVersion", 2);
    params.put("Public", b64(TpmFixtures.tpmtPublic(AK, true)));
    params.put(
        "Quotes",
        List.of(
            Map.of(
                "Version", 2,
                "Quote", b64(attest),
                "Signature", b64(TpmFixtures.rsassa(AK.getPrivate(), attest)))));
    params.put("PCRs", pcrList);
    params.put("EventLog", withLog ? b64(LOG.build()) : null);
    return Json.write(params).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void goAttestation_platformParameters_verifiesWithEventLogClaims() throws Exception {
    VerificationResult result = verify(withKey(platformParameters(true), AK));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("container")).contains("go-attestation");
    assertThat(result.claims().get("boot.kernel"))
        .contains(Hex.encode(Digests.sha256("kernel".getBytes(StandardCharsets.UTF_8))));
    assertThat(result.claims().get("event_log.registers"))
        .contains(List.of("pcr 4", "pcr 7", "pcr 8"));
  }

  @Test
  void goAttestation_withoutLog_andSeparateEventLog_replaysTheSuppliedLog() throws Exception {
    VerificationResult result =
        verify(withKey(platformParameters(false), AK).withEventLog(LOG.build()));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("secure_boot.enabled")).contains(true);
  }

  @Test
  void goAttestation_attestationParameters_isUnsupported() {
    byte[] json =
        "{\"Public\": \"AAE=\", \"CreateData\": \"AA==\", \"CreateAttestation\": \"AA==\", \"CreateSignature\": \"AA==\"}"
            .getBytes(StandardCharsets.UTF_8);

    VerificationResult result = verify(withKey(json, AK));

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  @Test
  void unknownJson_isMalformedNamingTheForms() {
    VerificationResult result =
        verify(withKey("{\"quote\": 1}".getBytes(StandardCharsets.UTF_8), AK));

    assertThat(result.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVIDENCE_MALFORMED);
          assertThat(problem.detail()).contains("Trustee").contains("PlatformParameters");
        });
  }

  /** tpm2-tools' binary PCR file for SHA-256 PCRs (what Keylime's agent puts in the quote). */
  static byte[] pcrFile(Map<Integer, byte[]> pcrs) {
    java.nio.ByteBuffer out =
        java.nio.ByteBuffer.allocate(4 + 16 * 8 + 4 + 4 * (4 + 8 * 66))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    out.putInt(1);
    byte[] select = new byte[4];
    pcrs.keySet().forEach(pcr -> select[pcr / 8] |= (byte) (1 << (pcr % 8)));
    for (int i = 0; i < 16; i++) {
      int start = out.position();
      if (i == 0) {
        out.putShort((short) 0x000B);
        out.put((byte) 3);
        out.put(select);
      }
      out.position(start + 8);
    }
    List<byte[]> values = new ArrayList<>(pcrs.values());
    int lists = (values.size() + 7) / 8;
    out.putInt(lists);
    for (int list = 0; list < lists; list++) {
      int count = Math.min(8, values.size() - list * 8);
      out.putInt(count);
      for (int slot = 0; slot < 8; slot++) {
        int start = out.position();
        if (slot < count) {
          byte[] value = values.get(list * 8 + slot);
          out.putShort((short) value.length);
          out.put(value);
        }
        out.position(start + 66);
      }
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  private static byte[] keylime(Map<Integer, byte[]> pcrs) throws Exception {
    byte[] attest = TpmFixtures.quote(NONCE, pcrs);
    return ("r"
            + b64(attest)
            + ":"
            + b64(TpmFixtures.rsassa(AK.getPrivate(), attest))
            + ":"
            + b64(pcrFile(pcrs)))
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void keylime_quoteString_withEventLog_verifies() throws Exception {
    VerificationResult result =
        verify(withKey(keylime(new TreeMap<>(LOG.sha256())), AK).withEventLog(LOG.build()));

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("container")).contains("keylime");
    assertThat(result.claims().get("boot.loader"))
        .contains(Hex.encode(Digests.sha256("shim".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void keylime_logExtendingUnquotedPcr_isEventLogMismatch() throws Exception {
    Map<Integer, byte[]> quoted = new TreeMap<>(LOG.sha256());
    quoted.remove(8);

    VerificationResult result = verify(withKey(keylime(quoted), AK).withEventLog(LOG.build()));

    assertThat(result.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVENT_LOG_MISMATCH);
          assertThat(problem.detail()).contains("pcr 8").contains("does not cover");
        });
  }

  @Test
  void keylime_twoParts_isMalformed() {
    VerificationResult result =
        verify(withKey("rAAAA:BBBB".getBytes(StandardCharsets.US_ASCII), AK));

    assertThat(result.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVIDENCE_MALFORMED);
          assertThat(problem.detail()).contains("Keylime");
        });
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"go-attestation", "keylime", "trustee"})
  void cli_picksTheFormByContent(
      String form, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    byte[] evidence =
        switch (form) {
          case "go-attestation" -> platformParameters(false);
          case "keylime" -> keylime(new TreeMap<>(LOG.sha256()));
          default -> trustee(Arrays.copyOf(NONCE, 64), TpmFixtures.tpmtPublic(AK, true), false);
        };
    java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("evidence"), evidence);
    java.nio.file.Path key =
        java.nio.file.Files.writeString(dir.resolve("ak.pem"), TpmFixtures.pem(AK.getPublic()));
    java.nio.file.Path log = java.nio.file.Files.write(dir.resolve("log.bin"), LOG.build());

    dev.arbiter.testing.CliRun run =
        dev.arbiter.testing.CliRun.of(
            "evidence",
            "verify",
            "--format",
            "tpm",
            "--json",
            "--evidence",
            file.toString(),
            "--key",
            key.toString(),
            "--event-log",
            log.toString(),
            "--report-data",
            Hex.encode(NONCE));

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.json().path("claims").path("container").asText()).isEqualTo(form);
    assertThat(run.json().path("claims").path("secure_boot").path("enabled").asBoolean()).isTrue();
  }

  @Test
  void bareQuote_withEventLogButNoPcrs_isEventLogMismatch() throws Exception {
    byte[] attest = TpmFixtures.quote(NONCE, LOG.sha256());
    EvidenceInput input =
        withKey(attest, AK)
            .withSignature(TpmFixtures.rsassa(AK.getPrivate(), attest))
            .withEventLog(LOG.build());

    VerificationResult result = verify(input);

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.EVENT_LOG_MISMATCH);
  }
}
