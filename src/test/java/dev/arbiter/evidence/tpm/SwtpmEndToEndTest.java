// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import dev.arbiter.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End to end against a real software TPM: swtpm makes fresh quotes over a random nonce with ECDSA,
 * RSASSA and RSAPSS attestation keys after a PCR extend; Arbiter verifies them, and rejects a quote
 * whose PCR has changed since the values were read, and a wrong nonce.
 */
class SwtpmEndToEndTest {
  private static final VerificationContext NOW =
      VerificationContext.at(Instant.parse("2026-01-01T00:00:00Z"));
  private static final String SELECTION = "sha256:0,16+sha1:7";
  private static Swtpm tpm;

  @BeforeAll
  static void startTpm(@TempDir Path dir) throws Exception {
    tpm = Swtpm.start(dir);
    tpm.run("tpm2_createek", "-c", "ek.ctx", "-G", "ecc", "-u", "ek.pub");
    createAk("ecdsa", "ecc", "ecdsa");
    createAk("rsassa", "rsa", "rsassa");
    createAk("rsapss", "rsa", "rsapss");
    tpm.run("tpm2_pcrextend", "16:sha256=" + Hex.encode(new byte[32]).replace("00", "ab"));
  }

  private static void createAk(String name, String type, String scheme) throws Exception {
    tpm.run(
        "tpm2_createak",
        "-C",
        "ek.ctx",
        "-c",
        name + ".ctx",
        "-G",
        type,
        "-g",
        "sha256",
        "-s",
        scheme,
        "-u",
        name + ".pem",
        "-f",
        "pem",
        "-n",
        name + ".name");
    tpm.run("tpm2_readpublic", "-c", name + ".ctx", "-f", "tss", "-o", name + ".tpm2b");
  }

  @AfterAll
  static void stopTpm() throws Exception {
    if (tpm != null) {
      tpm.close();
    }
  }

  private static byte[] nonce() {
    byte[] nonce = new byte[32];
    new SecureRandom().nextBytes(nonce);
    return nonce;
  }

  private static String quote(String ak, byte[] nonce, String tag, String... format)
      throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "tpm2_quote",
                "-c",
                ak + ".ctx",
                "-l",
                SELECTION,
                "-q",
                Hex.encode(nonce),
                "-g",
                "sha256",
                "-m",
                tag + ".msg",
                "-s",
                tag + ".sig",
                "-o",
                tag + ".pcrs"));
    if (ak.equals("rsapss")) {
      command.add("--scheme=rsapss");
    }
    command.addAll(List.of(format));
    tpm.run(command.toArray(String[]::new));
    return tag;
  }

  private static EvidenceInput input(String tag, String key) throws Exception {
    return EvidenceInput.of(Files.readAllBytes(tpm.file(tag + ".msg")))
        .withSignature(Files.readAllBytes(tpm.file(tag + ".sig")))
        .withPcrs(Files.readAllBytes(tpm.file(tag + ".pcrs")))
        .withKeys(List.of(Files.readAllBytes(tpm.file(key))));
  }

  @ParameterizedTest(name = "{0} AK as {1}, signature {2}")
  @CsvSource({
    "ecdsa, pem, tss",
    "ecdsa, tpm2b, plain",
    "rsassa, pem, tss",
    "rsassa, tpm2b, plain",
    "rsapss, pem, tss",
    "rsapss, tpm2b, plain"
  })
  void freshQuote_withNonce_verifies(String ak, String keyForm, String signatureForm)
      throws Exception {
    byte[] nonce = nonce();
    String tag = quote(ak, nonce, ak + "-" + keyForm + "-" + signatureForm, "-f", signatureForm);

    VerificationResult result =
        TpmScheme.withoutCas()
            .verify(input(tag, ak + "." + keyForm), ExpectedBinding.exactly(nonce), NOW);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("extra_data")).contains(Hex.encode(nonce));
    assertThat(result.claims().get("pcr16")).isPresent();
    assertThat(result.claims().get("sha1:pcr7")).isPresent();
    assertThat(result.claims().get("pcr_selection.sha256")).contains(List.of(0L, 16L));
    if (keyForm.equals("tpm2b")) {
      byte[] name = Files.readAllBytes(tpm.file(ak + ".name"));
      assertThat(result.claims().get("ak.name")).contains(Hex.encode(name));
    }
  }

  @Test
  void quote_afterPcrChanged_isRejectedWithMeasurementMismatch() throws Exception {
    byte[] nonce = nonce();
    String before = quote("ecdsa", nonce(), "before");
    tpm.run("tpm2_pcrextend", "16:sha256=" + Hex.encode(nonce));
    String after = quote("ecdsa", nonce, "after");
    EvidenceInput stale =
        input(after, "ecdsa.pem").withPcrs(Files.readAllBytes(tpm.file(before + ".pcrs")));

    VerificationResult rejected =
        TpmScheme.withoutCas().verify(stale, ExpectedBinding.exactly(nonce), NOW);
    VerificationResult current =
        TpmScheme.withoutCas()
            .verify(input(after, "ecdsa.pem"), ExpectedBinding.exactly(nonce), NOW);

    assertThat(rejected.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.MEASUREMENT_MISMATCH);
    assertThat(current.problems()).isEmpty();
  }

  @Test
  void quote_withOtherNonce_isReportDataMismatch() throws Exception {
    String tag = quote("rsassa", nonce(), "other-nonce");

    VerificationResult result =
        TpmScheme.withoutCas()
            .verify(input(tag, "rsassa.pem"), ExpectedBinding.exactly(nonce()), NOW);

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.REPORT_DATA_MISMATCH);
  }

  @Test
  void quote_signedByAnotherAk_isSignatureInvalid() throws Exception {
    byte[] nonce = nonce();
    String tag = quote("ecdsa", nonce, "wrong-ak");

    VerificationResult result =
        TpmScheme.withoutCas()
            .verify(input(tag, "rsassa.pem"), ExpectedBinding.exactly(nonce), NOW);

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  @Test
  void cli_verifiesFreshQuote() throws Exception {
    byte[] nonce = nonce();
    String tag = quote("ecdsa", nonce, "cli");

    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "tpm",
            "--json",
            "--evidence",
            tpm.file(tag + ".msg").toString(),
            "--signature",
            tpm.file(tag + ".sig").toString(),
            "--pcrs",
            tpm.file(tag + ".pcrs").toString(),
            "--key",
            tpm.file("ecdsa.pem").toString(),
            "--report-data",
            Hex.encode(nonce));

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.json().path("verdict").asText()).isEqualTo("valid");
    assertThat(run.json().path("claims").path("signature").path("scheme").asText())
        .isEqualTo("ecdsa");
  }
}
