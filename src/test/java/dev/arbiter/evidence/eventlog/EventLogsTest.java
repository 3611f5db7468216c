// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.eventlog;

import static dev.arbiter.evidence.eventlog.EventLogBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.internal.Hex;
import dev.arbiter.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replay and claims over generated logs: the happy path and each failure. */
class EventLogsTest {
  private static EventLogBuilder booted() {
    return EventLogBuilder.tpm()
        .event(0, EventLogBuilder.EV_NO_ACTION, startupLocality(3))
        .event(0, 0x8, bytes("firmware 1.0"))
        .secureBoot(7, true)
        .separator(0)
        .event(4, EventLogBuilder.EV_EFI_ACTION, bytes("Calling EFI Application from Boot Option"))
        .separator(4)
        .application(4, "shim")
        .application(4, "grub")
        .event(8, EventLogBuilder.EV_IPL, bytes("grub_cmd: linux /vmlinuz\0"))
        .grubCmdline(8, "/vmlinuz root=/dev/sda1 ro lockdown=integrity")
        .application(4, "kernel");
  }

  private static byte[] startupLocality(int locality) {
    byte[] data = Arrays.copyOf("StartupLocality\0".getBytes(StandardCharsets.US_ASCII), 17);
    data[16] = (byte) locality;
    return data;
  }

  /** The builder starts every register at zero; PCR 0 starts at locality 3 here. */
  private static Map<String, Map<Integer, byte[]>> signedWithLocality(
      EventLogBuilder log, int locality) {
    Map<String, Map<Integer, byte[]>> signed = new LinkedHashMap<>();
    for (int alg : new int[] {EventLogBuilder.SHA1, EventLogBuilder.SHA256}) {
      String bank = alg == EventLogBuilder.SHA1 ? "sha1" : "sha256";
      Map<Integer, byte[]> values = new java.util.TreeMap<>(log.signed().get(bank));
      // recompute PCR 0 from the locality start value, independently of the builder
      byte[] pcr0 = new byte[EventLogBuilder.size(alg)];
      pcr0[pcr0.length - 1] = (byte) locality;
      for (byte[] digest :
          List.of(
              Digests.digest(EventLogBuilder.jca(alg), bytes("firmware 1.0")),
              Digests.digest(EventLogBuilder.jca(alg), new byte[4]))) {
        pcr0 = Digests.digest(EventLogBuilder.jca(alg), pcr0, digest);
      }
      values.put(0, pcr0);
      signed.put(bank, values);
    }
    return signed;
  }

  @Test
  void replayedLog_givesBootClaims() {
    EventLogBuilder log = booted();

    EventLogs.Outcome outcome =
        EventLogs.verify(log.build(), Profile.TPM, signedWithLocality(log, 3), "the quote");

    assertThat(outcome.problems()).isEmpty();
    Claims claims = new Claims(outcome.claims());
    assertThat(claims.get("secure_boot.enabled")).contains(true);
    assertThat(claims.get("secure_boot.pk"))
        .contains(Hex.encode(Digests.sha256(bytes("platform key"))));
    assertThat(claims.get("secure_boot.db"))
        .contains(Hex.encode(Digests.sha256(bytes("db certificates"))));
    assertThat(claims.get("boot.digest_bank")).contains("sha256");
    assertThat(claims.get("boot.loader")).contains(Hex.encode(Digests.sha256(bytes("shim"))));
    assertThat(claims.get("boot.kernel")).contains(Hex.encode(Digests.sha256(bytes("kernel"))));
    assertThat(claims.get("boot.applications"))
        .hasValueSatisfying(list -> assertThat((List<?>) list).hasSize(3));
    assertThat(claims.get("boot.cmdline"))
        .contains("/vmlinuz root=/dev/sda1 ro lockdown=integrity");
    assertThat(claims.get("events.EV_EFI_VARIABLE_DRIVER_CONFIG")).contains(5L);
    assertThat(claims.get("events.EV_SEPARATOR")).contains(3L);
    assertThat(claims.get("event_log.event_count")).contains((long) log.eventCount());
    assertThat(claims.get("event_log.banks")).contains(List.of("sha1", "sha256"));
    assertThat(claims.get("event_log.registers"))
        .contains(List.of("pcr 0", "pcr 4", "pcr 7", "pcr 8"));
    assertThat(EventLogs.claimNames()).containsAll(claims.flatten().keySet());
  }

  @Test
  void secureBootDisabled_isFalse() {
    EventLogBuilder log = EventLogBuilder.tpm().secureBoot(7, false);

    EventLogs.Outcome outcome =
        EventLogs.verify(log.build(), Profile.TPM, log.signed(), "the quote");

    assertThat(outcome.problems()).isEmpty();
    assertThat(new Claims(outcome.claims()).get("secure_boot.enabled")).contains(false);
  }

  @Test
  void digestMismatchOnPcr7_namesTheRegister() {
    EventLogBuilder log = booted();
    Map<String, Map<Integer, byte[]>> signed = signedWithLocality(log, 3);
    signed.get("sha256").put(7, new byte[32]);

    EventLogs.Outcome outcome = EventLogs.verify(log.build(), Profile.TPM, signed, "the quote");

    assertThat(outcome.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVENT_LOG_MISMATCH);
          assertThat(problem.detail()).contains("pcr 7").contains("sha256").doesNotContain("pcr 4");
        });
    assertThat(outcome.claims()).isEmpty();
  }

  @Test
  void tamperedEventDigest_isMismatchAndNoClaims() {
    EventLogBuilder log = EventLogBuilder.tpm().secureBoot(7, true);
    Map<String, Map<Integer, byte[]>> signed = log.signed();
    // the same events, but SecureBoot claims to be enabled with a digest that was never extended
    EventLogBuilder forged =
        EventLogBuilder.tpm()
            .measured(
                7,
                EventLogBuilder.EV_EFI_VARIABLE_DRIVER_CONFIG,
                EventLogBuilder.variableData(
                    EventLogBuilder.EFI_GLOBAL, "SecureBoot", new byte[] {1}),
                bytes("something else"));

    EventLogs.Outcome outcome = EventLogs.verify(forged.build(), Profile.TPM, signed, "the quote");

    assertThat(outcome.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.EVENT_LOG_MISMATCH);
    assertThat(outcome.claims()).isEmpty();
  }

  @Test
  void eventDataNotCoveredByItsDigest_givesNoClaimFromIt() {
    // replays fine (the digest is what was extended) but the data was swapped: no cmdline claim
    EventLogBuilder log =
        EventLogBuilder.tpm()
            .measured(
                8,
                EventLogBuilder.EV_IPL,
                bytes("kernel_cmdline: /vmlinuz lockdown=integrity\0"),
                bytes("/vmlinuz"));

    EventLogs.Outcome outcome =
        EventLogs.verify(log.build(), Profile.TPM, log.signed(), "the quote");

    assertThat(outcome.problems()).isEmpty();
    assertThat(new Claims(outcome.claims()).get("boot.cmdline")).isEmpty();
  }

  @Test
  void eventForPcrNotQuoted_isMismatchNamingIt() {
    EventLogBuilder log = booted();
    Map<String, Map<Integer, byte[]>> signed = signedWithLocality(log, 3);
    signed.get("sha256").remove(8);
    signed.get("sha1").remove(8);

    EventLogs.Outcome outcome = EventLogs.verify(log.build(), Profile.TPM, signed, "the quote");

    assertThat(outcome.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVENT_LOG_MISMATCH);
          assertThat(problem.detail()).contains("pcr 8").contains("does not cover");
        });
  }

  @Test
  void onlyUnquotedBanks_isMismatch() {
    EventLogBuilder log = EventLogBuilder.tpm(EventLogBuilder.SHA384).secureBoot(7, true);

    EventLogs.Outcome outcome =
        EventLogs.verify(
            log.build(), Profile.TPM, Map.of("sha256", Map.of(7, new byte[32])), "the quote");

    assertThat(outcome.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVENT_LOG_MISMATCH);
          assertThat(problem.detail()).contains("sha384");
        });
  }

  @Test
  void truncatedEvent_isMalformed() {
    byte[] log = EventLogBuilder.truncated(booted().build(), 3);

    EventLogs.Outcome outcome = EventLogs.verify(log, Profile.TPM, Map.of(), "the quote");

    assertThat(outcome.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVIDENCE_MALFORMED);
          assertThat(problem.detail()).contains("event 16").contains("truncated");
        });
  }

  @Test
  void eventWithUndeclaredAlgorithm_isMalformed() {
    byte[] log =
        EventLogBuilder.tpm(EventLogBuilder.SHA256)
            .raw(
                7,
                EventLogBuilder.EV_SEPARATOR,
                Map.of(EventLogBuilder.SHA384, new byte[48]),
                new byte[4])
            .build();

    EventLogs.Outcome outcome = EventLogs.verify(log, Profile.TPM, Map.of(), "the quote");

    assertThat(outcome.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVIDENCE_MALFORMED);
          assertThat(problem.detail()).contains("0x000c").contains("does not declare");
        });
  }

  @Test
  void onlyUnknownAlgorithm_isUnsupported() {
    byte[] log = EventLogBuilder.tpm(EventLogBuilder.SM3).separator(7).build();

    EventLogs.Outcome outcome = EventLogs.verify(log, Profile.TPM, Map.of(), "the quote");

    assertThat(outcome.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.UNSUPPORTED_VERSION);
          assertThat(problem.detail()).contains("0x0012");
        });
  }

  @Test
  void sha1FormatLog_isUnsupported() {
    byte[] log = booted().build();
    int spec = 32; // header fields before the Spec ID signature
    log[spec + 14] = '2'; // "Spec ID Event02"

    EventLogs.Outcome outcome = EventLogs.verify(log, Profile.TPM, Map.of(), "the quote");

    assertThat(outcome.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.UNSUPPORTED_VERSION);
  }

  @Test
  void garbage_isMalformed() {
    EventLogs.Outcome outcome =
        EventLogs.verify(
            bytes("not an event log at all, clearly"), Profile.TPM, Map.of(), "the quote");

    assertThat(outcome.problems())
        .extracting(Problem::type)
        .containsExactly(EvidenceProblem.EVIDENCE_MALFORMED);
  }

  @Test
  void ccel_replaysIntoRtmrs_andToleratesPadding() {
    EventLogBuilder log =
        EventLogBuilder.ccel()
            .event(1, 0x80000008L, bytes("TDVF"))
            .secureBoot(1, true)
            .application(2, "shim")
            .application(2, "grub")
            .grubCmdline(3, "console=hvc0 lockdown=confidentiality")
            .application(2, "kernel");
    byte[] padded = Arrays.copyOf(log.build(), log.build().length + 4096);
    Arrays.fill(padded, log.build().length, padded.length, (byte) 0xff);

    EventLogs.Outcome outcome =
        EventLogs.verify(padded, Profile.CCEL, log.signed(), "the TD report");

    assertThat(outcome.problems()).isEmpty();
    Claims claims = new Claims(outcome.claims());
    assertThat(claims.get("event_log.registers")).contains(List.of("rtmr0", "rtmr1", "rtmr2"));
    assertThat(claims.get("event_log.padding")).contains(4096L);
    assertThat(claims.get("boot.digest_bank")).contains("sha384");
    assertThat(claims.get("boot.kernel")).contains(Hex.encode(Digests.sha384(bytes("kernel"))));
    assertThat(claims.get("boot.cmdline")).contains("console=hvc0 lockdown=confidentiality");
    assertThat(claims.get("secure_boot.enabled")).contains(true);
  }

  @Test
  void ccel_mismatchNamesTheRtmr() {
    EventLogBuilder log = EventLogBuilder.ccel().secureBoot(1, true).application(2, "shim");
    Map<String, Map<Integer, byte[]>> signed = log.signed();
    signed.get("sha384").put(2, new byte[48]);

    EventLogs.Outcome outcome =
        EventLogs.verify(log.build(), Profile.CCEL, signed, "the TD report");

    assertThat(outcome.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVENT_LOG_MISMATCH);
          assertThat(problem.detail()).contains("rtmr1").contains("the TD report");
        });
  }

  @Test
  void ccel_eventExtendingMrtd_isMismatch() {
    EventLogBuilder log = EventLogBuilder.ccel().separator(0);

    EventLogs.Outcome outcome =
        EventLogs.verify(log.build(), Profile.CCEL, log.signed(), "the TD report");

    assertThat(outcome.problems())
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.type()).isEqualTo(EvidenceProblem.EVENT_LOG_MISMATCH);
          assertThat(problem.detail()).contains("mrtd");
        });
  }
}
