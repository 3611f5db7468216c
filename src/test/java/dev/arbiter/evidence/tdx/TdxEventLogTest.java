// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tdx;

import static dev.arbiter.evidence.eventlog.EventLogBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.evidence.dcap.QuoteBuilder;
import dev.arbiter.evidence.eventlog.EventLogBuilder;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import dev.arbiter.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TDX CC event log (CCEL) replayed into RTMR0..3 of generated quotes: claims on a match, a
 * mismatch naming the RTMR, nothing judged on a failed quote.
 */
class TdxEventLogTest {
  private static final DcapFixtures FIXTURES = DcapFixtures.create();
  private final TdxScheme scheme = new TdxScheme(FIXTURES.trust());
  private final VerificationContext now = VerificationContext.at(DcapFixtures.NOW);

  /** What TDVF + shim + GRUB log, with the 0xFF-filled rest of the CCEL area. */
  private static final EventLogBuilder LOG =
      EventLogBuilder.ccel()
          .event(1, 0x8000000AL, bytes("TDVF config FV"))
          .secureBoot(1, true)
          .application(2, "shimx64.efi")
          .application(2, "grubx64.efi")
          .grubCmdline(3, "/vmlinuz console=hvc0 lockdown=confidentiality")
          .application(2, "vmlinuz");

  private static byte[] ccel() {
    byte[] log = LOG.build();
    byte[] area = Arrays.copyOf(log, 65536);
    Arrays.fill(area, log.length, area.length, (byte) 0xff);
    return area;
  }

  private static QuoteBuilder quoteWith(Map<Integer, byte[]> rtmrs) {
    QuoteBuilder builder = FIXTURES.tdxQuote();
    for (int i = 0; i < 4; i++) {
      builder.rtmr(i, rtmrs.getOrDefault(i + 1, new byte[48]));
    }
    return builder;
  }

  private VerificationResult verify(byte[] quote, byte[] eventLog) {
    return scheme.verify(
        EvidenceInput.of(quote).withCollateral(FIXTURES.collateral(true)).withEventLog(eventLog),
        ExpectedBinding.none(),
        now);
  }

  @Test
  void ccelMatchingRtmrs_givesBootClaims() {
    byte[] quote = quoteWith(LOG.signed().get("sha384")).build();

    VerificationResult result = verify(quote, ccel());

    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("event_log.registers"))
        .contains(List.of("rtmr0", "rtmr1", "rtmr2"));
    assertThat(result.claims().get("event_log.padding"))
        .contains((long) 65536 - LOG.build().length);
    assertThat(result.claims().get("secure_boot.enabled")).contains(true);
    assertThat(result.claims().get("boot.kernel"))
        .contains(Hex.encode(Digests.sha384(bytes("vmlinuz"))));
    assertThat(result.claims().get("boot.cmdline"))
        .contains("/vmlinuz console=hvc0 lockdown=confidentiality");
    assertThat(result.claims().get("rtmr1"))
        .contains(Hex.encode(LOG.signed().get("sha384").get(2)));
    assertThat(scheme.descriptor().claimNames()).containsAll(result.claims().flatten().keySet());
    assertThat(
            dev.arbiter.evidence.ByteClaimsAssert.assertByteClaims(
                scheme.descriptor(), result.claims(), java.util.Set.of()))
        .contains("boot.kernel", "rtmr1");
  }

  @Test
  void rtmr1Differs_isEventLogMismatchNamingRtmr1() {
    Map<Integer, byte[]> rtmrs = new java.util.TreeMap<>(LOG.signed().get("sha384"));
    rtmrs.put(2, DcapFixtures.filled(48, 0x01));

    VerificationResult result = verify(quoteWith(rtmrs).build(), ccel());

    assertThat(result.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVENT_LOG_MISMATCH);
          assertThat(problem.detail()).contains("rtmr1").doesNotContain("rtmr0");
        });
    assertThat(result.claims().get("boot.cmdline")).isEmpty();
  }

  @Test
  void failedQuote_isNotReplayed() {
    byte[] quote = quoteWith(LOG.signed().get("sha384")).badQuoteSignature().build();

    VerificationResult result = verify(quote, ccel());

    assertThat(result.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.SIGNATURE_INVALID);
    assertThat(result.claims().get("event_log.banks")).isEmpty();
  }

  @Test
  void sha256OnlyLog_isNotCoveredByTheTdReport() {
    EventLogBuilder sha256 = EventLogBuilder.tpm(EventLogBuilder.SHA256).secureBoot(1, true);

    VerificationResult result =
        verify(quoteWith(LOG.signed().get("sha384")).build(), sha256.build());

    assertThat(result.problems())
        .singleElement()
        .satisfies(
            problem -> assertThat(problem.detail()).contains("sha256").contains("TD report"));
  }

  @Test
  void cli_eventLog_isReplayed(@TempDir Path dir) throws Exception {
    Path quote =
        Files.write(dir.resolve("quote.dat"), quoteWith(LOG.signed().get("sha384")).build());
    Path log = Files.write(dir.resolve("ccel.bin"), ccel());
    // the CLI trusts only the pinned Intel root: the generated quote fails its chain, so the log is
    // not judged; with the fixture trust the same input replays (above)
    CliRun run =
        CliRun.of(
            "evidence",
            "verify",
            "--format",
            "tdx",
            "--json",
            "--evidence",
            quote.toString(),
            "--event-log",
            log.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().path("claims").has("event_log")).isFalse();
  }
}
