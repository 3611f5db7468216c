// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.arbiter.testing.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real quotes from a software TPM ({@code swtpm} + tpm2-tools) in the containers attesters send
 * (Keylime's quote string, Trustee's TPM evidence JSON) with a generated crypto-agile event log
 * whose digests were extended into the TPM's PCRs 4, 7 and 8 with {@code tpm2_pcrextend}: the log
 * replays to the PCRs the TPM quoted. Skipped with a message without swtpm, failing under CI.
 */
class SwtpmContainerEndToEndTest {
  private static final VerificationContext NOW =
      VerificationContext.at(Instant.parse("2026-01-01T00:00:00Z"));
  private static final EventLogBuilder LOG =
      EventLogBuilder.tpm(EventLogBuilder.SHA256)
          .secureBoot(7, true)
          .application(4, "shim")
          .application(4, "vmlinuz")
          .grubCmdline(8, "/vmlinuz ro lockdown=integrity");
  private static Swtpm tpm;
  private static Path dir;

  @BeforeAll
  static void startTpm(@TempDir Path temp) throws Exception {
    dir = temp;
    tpm = Swtpm.start(temp);
    tpm.run("tpm2_createek", "-c", "ek.ctx", "-G", "rsa", "-u", "ek.pub");
    tpm.run(
        "tpm2_createak",
        "-C",
        "ek.ctx",
        "-c",
        "ak.ctx",
        "-G",
        "rsa",
        "-g",
        "sha256",
        "-s",
        "rsassa",
        "-u",
        "ak.pem",
        "-f",
        "pem",
        "-n",
        "ak.name");
    tpm.run("tpm2_readpublic", "-c", "ak.ctx", "-f", "tss", "-o", "ak.tpm2b");
    // extend the log's events, in log order, into the TPM
    byte[] log = LOG.build();
    Files.write(temp.resolve("event_log.bin"), log);
    for (String[] extend : extends_(log)) {
      tpm.run("tpm2_pcrextend", extend[0] + ":sha256=" + extend[1]);
    }
  }

  /** (pcr, sha256 hex) of every event after the header, read back from the log bytes. */
  private static List<String[]> extends_(byte[] log) {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(log).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    in.position(32);
    in.position(in.position() + in.getInt(28));
    List<String[]> out = new ArrayList<>();
    while (in.hasRemaining()) {
      int pcr = in.getInt();
      in.getInt(); // type
      in.getInt(); // digest count (1: sha256)
      in.getShort();
      byte[] digest = new byte[32];
      in.get(digest);
      int size = in.getInt();
      in.position(in.position() + size);
      out.add(new String[] {Integer.toString(pcr), Hex.encode(digest)});
    }
    return out;
  }

  @AfterAll
  static void stopTpm() throws Exception {
    if (tpm != null) {
      tpm.close();
    }
  }

  private static byte[] quote(byte[] nonce, String tag) throws Exception {
    tpm.run(
        "tpm2_quote",
        "-c",
        "ak.ctx",
        "-l",
        "sha256:4,7,8",
        "-q",
        Hex.encode(nonce),
        "-g",
        "sha256",
        "-m",
        tag + ".msg",
        "-s",
        tag + ".sig",
        "-o",
        tag + ".pcrs");
    return nonce;
  }

  private static byte[] read(String name) throws Exception {
    return Files.readAllBytes(tpm.file(name));
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] nonce() {
    byte[] nonce = new byte[32];
    new SecureRandom().nextBytes(nonce);
    return nonce;
  }

  @Test
  void keylimeQuoteString_withEventLog_replaysToTheTpmsPcrs() throws Exception {
    byte[] nonce = quote(nonce(), "keylime");
    String keylime =
        "r"
            + b64(read("keylime.msg"))
            + ":"
            + b64(read("keylime.sig"))
            + ":"
            + b64(read("keylime.pcrs"));

    VerificationResult result =
        TpmScheme.withoutCas()
            .verify(
                EvidenceInput.of(keylime.getBytes(StandardCharsets.US_ASCII))
                    .withKeys(List.of(read("ak.pem")))
                    .withEventLog(read("event_log.bin")),
                ExpectedBinding.exactly(nonce),
                NOW);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("container")).contains("keylime");
    assertThat(result.claims().get("pcr7")).contains(Hex.encode(LOG.sha256().get(7)));
    assertThat(result.claims().get("secure_boot.enabled")).contains(true);
    assertThat(result.claims().get("boot.kernel"))
        .contains(Hex.encode(Digests.sha256("vmlinuz".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void trusteeJson_paddedReportData_verifies_andAnotherLogIsMismatch() throws Exception {
    byte[] reportData = nonce();
    quote(java.util.Arrays.copyOf(reportData, 64), "trustee");
    // Trustee lists all 24 SHA-256 PCRs; this quote covers 4, 7 and 8, the values the TPM read
    VerificationResult fromPcrFile =
        TpmScheme.withoutCas()
            .verify(
                EvidenceInput.of(read("trustee.msg"))
                    .withSignature(read("trustee.sig"))
                    .withPcrs(read("trustee.pcrs"))
                    .withKeys(List.of(read("ak.pem"))),
                ExpectedBinding.none(),
                NOW);
    List<String> pcrs = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      pcrs.add(fromPcrFile.claims().get("pcr" + i).map(String::valueOf).orElse("00".repeat(32)));
    }
    Map<String, Object> quote = new LinkedHashMap<>();
    quote.put("signature", b64(read("trustee.sig")));
    quote.put("message", b64(read("trustee.msg")));
    quote.put("pcrs", pcrs);
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("report_data", b64(java.util.Arrays.copyOf(reportData, 64)));
    evidence.put("tpm_quote", quote);
    evidence.put(
        "ak_public",
        b64(java.util.Arrays.copyOfRange(read("ak.tpm2b"), 2, read("ak.tpm2b").length)));
    evidence.put("event_log", b64(read("event_log.bin")));
    Path json = dir.resolve("trustee.json");
    Files.writeString(json, Json.write(evidence));

    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "tpm",
            "--json",
            "--evidence",
            json.toString(),
            "--key",
            tpm.file("ak.pem").toString(),
            "--report-data",
            Hex.encode(reportData));

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.json().path("claims").path("container").asText()).isEqualTo("trustee");
    assertThat(run.json().path("claims").path("boot").path("cmdline").asText())
        .isEqualTo("/vmlinuz ro lockdown=integrity");

    Path other = dir.resolve("other.bin");
    Files.write(other, EventLogBuilder.tpm(EventLogBuilder.SHA256).secureBoot(7, false).build());
    evidence.remove("event_log");
    Files.writeString(json, Json.write(evidence));
    VerificationResult mismatch =
        TpmScheme.withoutCas()
            .verify(
                EvidenceInput.of(Files.readAllBytes(json))
                    .withKeys(List.of(read("ak.pem")))
                    .withEventLog(Files.readAllBytes(other)),
                ExpectedBinding.exactly(reportData),
                NOW);
    assertThat(mismatch.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.EVENT_LOG_MISMATCH);
  }
}
