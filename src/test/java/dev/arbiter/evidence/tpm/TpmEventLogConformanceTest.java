// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import dev.arbiter.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Event-log replay over the shared GCE vTPM vectors (a real COS 85 Shielded VM: TCG crypto-agile
 * log, SHA-1/SHA-256/SHA-384 banks).
 *
 * <p>The expected facts below were computed independently of Arbiter, once, with tpm2-tools 5.4:
 * {@code tpm2_eventlog go-tpm-tools/extracted/gce-cos-85-nonce9009/event_log.bin} (its replayed
 * {@code pcrs:} section, the per-event {@code Digests} and {@code Event} fields and the {@code
 * EventType} counts); the PK/KEK/db/dbx values are {@code sha256sum} of the {@code VariableData}
 * hex it prints for those variables.
 */
class TpmEventLogConformanceTest {
  private static final VerificationContext AT =
      VerificationContext.at(Instant.parse("2025-01-01T00:00:00Z"));
  private static final String NAME = "gce-cos-85-nonce9009";

  /** tpm2_eventlog's replayed SHA-256 PCRs 0..9 (== the quoted values). */
  private static final Map<String, String> SHA256_PCRS =
      Map.of(
          "pcr0", "0f35c214608d93c7a6e68ae7359b4a8be5a0e99eea9107ece427c4dea4e439cf",
          "pcr1", "6eb40f5b6bfafcb9914d486ce59404acd24bc13a6a3c45cda3b44c9d7053d638",
          "pcr2", "3d458cfe55cc03ea1f443f1562beec8df51c75e14a9fcf9a7234a13f198e7969",
          "pcr4", "d690bdac2aa8b73a1d718cb91990df07d0747b07ea57b3b2d0f0d511f0d90491",
          "pcr5", "158cd54b4f5f440d1a4da99da68fce2b1576eb8e2f18af2c3d9f96463f28d04e",
          "pcr7", "3365d7fa2b024c852913c06e04ffbfa6ea5289f743bbf1a76f7ffdf21ed84793",
          "pcr8", "9e9b6511ae6ad443aae4c7bf998ffffbcd271c874f1efab9d692f129eb6e6c18",
          "pcr9", "e01c8cf808763422c5ede2cdb34595b92bd7d06b8bbd6014b54d2e95b14b0963");

  /** tpm2_eventlog: SHA-384 PCR 7. */
  private static final String SHA384_PCR7 =
      "1d89e5eb741702ee7c2eb73aa84fdcfa5fa279ad5c1fc428b694575198afb6ddf83c6ce1a06b2c563efbf840a2cead63";

  /** tpm2_eventlog: events 22, 23, 40 (EV_EFI_BOOT_SERVICES_APPLICATION, PCR 4), SHA-256. */
  private static final String SHIM =
      "dba8d69ffb244496ac8ab2950695d3da539d6ac5ec660fc6b4bdde245284cf23";

  private static final String GRUB =
      "f7bad83f87940312e4642530a9a6242e88529dc37a497d7d4e7c1c070566d542";
  private static final String KERNEL =
      "6f6afb3caed004e727200a0c310731bd8ab4cd391b2d95cedf67d08e1e8e5e7e";

  /** tpm2_eventlog: event 3 (SecureBoot, PCR 7) SHA-256 digest, used to tamper with the log. */
  private static final String SECURE_BOOT_EVENT_SHA256 =
      "ccfc4bb32888a345bc8aeadaba552b627d99348c767681ab3141f5b01e40a40e";

  /** tpm2_eventlog: event 38 (EV_IPL, PCR 8) {@code kernel_cmdline: ...}. */
  private static final String CMDLINE =
      "/syslinux/vmlinuz.A init=/usr/lib/systemd/systemd boot=local rootwait ro noresume noswap"
          + " loglevel=7 noinitrd console=ttyS0 security=apparmor virtio_net.napi_tx=1"
          + " systemd.unified_cgroup_hierarchy=false systemd.legacy_systemd_cgroup_controller=false"
          + " csm.disabled=1 loadpin.exclude=kernel-module modules-load=loadpin_trigger"
          + " module.sig_enforce=1 dm_verity.error_behavior=3 dm_verity.max_bios=-1"
          + " dm_verity.dev_wait=1 i915.modeset=1 cros_efi root=/dev/dm-0 \"dm=1 vroot none ro"
          + " 1,0 4077568 verity payload=PARTUUID=EF8ECEE2-2385-AE4F-A146-1ED93D8AC217"
          + " hashtree=PARTUUID=EF8ECEE2-2385-AE4F-A146-1ED93D8AC217 hashstart=4077568 alg=sha256"
          + " root_hexdigest=795872ee03859c10dfcc4d67b4b96c85094b340c2d8784783abc2fa12a6ed671"
          + " salt=40eb77fb9093cbff56a6f9c2214c4f7554817d079513b7c77de4953d6b8ffc16\"";

  private static Path vectors() {
    return RepoPaths.requireVectors("tpm");
  }

  private static byte[] read(Path path) throws Exception {
    return Files.readAllBytes(path);
  }

  private static Path dir() {
    return vectors().resolve("go-tpm-tools/extracted/" + NAME);
  }

  private static EvidenceInput splitInput(byte[] eventLog) throws Exception {
    return EvidenceInput.of(read(dir().resolve("quote-sha256.attest")))
        .withSignature(read(dir().resolve("quote-sha256.sig")))
        .withPcrs(read(dir().resolve("pcrs-sha256.json")))
        .withKeys(List.of(read(dir().resolve("ak_pub.tpmt"))))
        .withEventLog(eventLog);
  }

  private static void assertBootFacts(Claims claims) {
    assertThat(claims.get("secure_boot.enabled")).contains(true);
    assertThat(claims.get("secure_boot.pk"))
        .contains("ec70b95b7fce7a97faeaf5c536f5d496406d6846000ab89116185380d5cd29de");
    assertThat(claims.get("secure_boot.kek"))
        .contains("7b83a1ae5c2e2049b044f1ece68b6b81a1fabff175d9a6ae15da5dbfe701ec13");
    assertThat(claims.get("secure_boot.db"))
        .contains("640ff6e96d1808b9a1ba9dc2f75f80b2d030103757595706aaf7d47f805f3ef9");
    assertThat(claims.get("secure_boot.dbx"))
        .contains("d0e6400fb15f4f9bc679de112b3f25b364789f3e5dfb326e37eb886e39bf2631");
    assertThat(claims.get("boot.digest_bank")).contains("sha256");
    assertThat(claims.get("boot.loader")).contains(SHIM);
    assertThat(claims.get("boot.kernel")).contains(KERNEL);
    assertThat(claims.get("boot.applications")).contains(List.of(SHIM, GRUB, KERNEL));
    assertThat(claims.get("boot.cmdline")).contains(CMDLINE);
    assertThat(claims.get("event_log.event_count")).contains(44L);
    assertThat(claims.get("events.EV_IPL")).contains(16L);
    assertThat(claims.get("events.EV_SEPARATOR")).contains(8L);
    assertThat(claims.get("events.EV_EFI_VARIABLE_DRIVER_CONFIG")).contains(5L);
    assertThat(claims.get("events.EV_EFI_BOOT_SERVICES_APPLICATION")).contains(3L);
    assertThat(claims.get("events.EV_EFI_VARIABLE_AUTHORITY")).contains(3L);
    assertThat(claims.get("events.EV_NO_ACTION")).isEmpty(); // only the header
    assertThat(claims.get("event_log.registers"))
        .contains(
            List.of(
                "pcr 0", "pcr 1", "pcr 2", "pcr 3", "pcr 4", "pcr 5", "pcr 6", "pcr 7", "pcr 8",
                "pcr 9"));
  }

  @Test
  void splitQuote_withEventLog_replaysToQuotedPcrs() throws Exception {
    VerificationResult result =
        TpmScheme.withoutCas()
            .verify(
                splitInput(read(dir().resolve("event_log.bin"))),
                ExpectedBinding.exactly(Hex.decode("9009")),
                AT);

    assertThat(result.problems()).isEmpty();
    SHA256_PCRS.forEach(
        (pcr, value) -> assertThat(result.claims().get(pcr)).as(pcr).contains(value));
    assertThat(result.claims().get("event_log.banks")).contains(List.of("sha256"));
    assertBootFacts(result.claims());
  }

  @Test
  void goTpmToolsProtobuf_replaysItsEmbeddedLogInEveryBank() throws Exception {
    EvidenceInput input =
        EvidenceInput.of(read(vectors().resolve("go-tpm-tools/" + NAME + ".pb")))
            .withCertificates(
                List.of(read(vectors().resolve("go-tpm-tools/ca/tpm_ek_intermediate_2.crt"))));
    TpmScheme scheme =
        new TpmScheme(
            Certificates.parse(read(vectors().resolve("go-tpm-tools/ca/tpm_ek_root_1.cer"))));

    VerificationResult result =
        scheme.verify(input, ExpectedBinding.exactly(Hex.decode("9009")), AT);

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("container")).contains("go-tpm-tools");
    assertThat(result.claims().get("event_log.banks"))
        .contains(List.of("sha1", "sha256", "sha384"));
    assertThat(result.claims().get("sha384:pcr7")).contains(SHA384_PCR7);
    assertBootFacts(result.claims());
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                scheme.descriptor(),
                result.claims(),
                java.util.Set.of("qualified_signer", "extra_data", "ak.certificate.serial")))
        .contains(
            "secure_boot.pk",
            "secure_boot.dbx",
            "boot.loader",
            "boot.kernel",
            "sha1:pcr7",
            "pcr7",
            "sha384:pcr7",
            "pcrs.sha1.pcr0");
  }

  @Test
  void tamperedSecureBootDigest_isMismatchOnPcr7() throws Exception {
    byte[] log = read(dir().resolve("event_log.bin"));
    byte[] digest = Hex.decode(SECURE_BOOT_EVENT_SHA256);
    int at = indexOf(log, digest);
    assertThat(at).isPositive();
    log[at] ^= 1;

    VerificationResult result =
        TpmScheme.withoutCas()
            .verify(splitInput(log), ExpectedBinding.exactly(Hex.decode("9009")), AT);

    assertThat(result.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVENT_LOG_MISMATCH);
          assertThat(problem.detail()).contains("pcr 7").contains("sha256");
        });
    assertThat(result.claims().get("secure_boot.enabled")).isEmpty();
  }

  @Test
  void truncatedLog_isMalformed() throws Exception {
    byte[] log = read(dir().resolve("event_log.bin"));

    VerificationResult result =
        TpmScheme.withoutCas()
            .verify(
                splitInput(java.util.Arrays.copyOf(log, log.length - 10)),
                ExpectedBinding.exactly(Hex.decode("9009")),
                AT);

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void cli_eventLogFlag_printsTheBootClaims() throws Exception {
    dev.arbiter.testing.CliRun run =
        dev.arbiter.testing.CliRun.of(
            "evidence",
            "verify",
            "--format",
            "tpm",
            "--json",
            "--at",
            "2025-01-01T00:00:00Z",
            "--evidence",
            dir().resolve("quote-sha384.attest").toString(),
            "--signature",
            dir().resolve("quote-sha384.sig").toString(),
            "--pcrs",
            dir().resolve("pcrs-sha384.json").toString(),
            "--key",
            dir().resolve("ak_pub.tpmt").toString(),
            "--event-log",
            dir().resolve("event_log.bin").toString(),
            "--report-data",
            "9009");

    assertThat(run.exitCode()).as(run.err()).isZero();
    var claims = run.json().path("claims");
    assertThat(claims.path("event_log").path("banks").toString()).isEqualTo("[\"sha384\"]");
    assertThat(claims.path("secure_boot").path("enabled").asBoolean()).isTrue();
    assertThat(claims.path("boot").path("digest_bank").asText()).isEqualTo("sha384");
    assertThat(claims.path("boot").path("cmdline").asText()).isEqualTo(CMDLINE);
    assertThat(claims.path("sha384:pcr7").asText()).isEqualTo(SHA384_PCR7);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
