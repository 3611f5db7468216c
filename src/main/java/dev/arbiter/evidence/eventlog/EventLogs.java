// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.eventlog;

import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays a TCG crypto-agile event log against signed register values and, only when every register
 * it extends replays to its signed value, derives boot claims from it. See README.md.
 *
 * <p><b>Security guarantee.</b> Claims are produced only when the outcome has no problem: every
 * event of every replayable bank that the evidence signs was folded into a register the evidence
 * signs, and the result equals the signed value. Claims taken from event data (Secure Boot state,
 * command line) come only from events whose data hashes to their (replayed) digest. Pure and
 * thread-safe.
 */
public final class EventLogs {
  private static final byte[] STARTUP_LOCALITY =
      "StartupLocality\0".getBytes(StandardCharsets.US_ASCII);

  private EventLogs() {}

  /**
   * What replaying a log gave.
   *
   * @param claims {@code event_log}, {@code events}, {@code secure_boot}, {@code boot} (empty
   *     unless {@code problems} is)
   * @param problems {@code evidence-malformed}, {@code unsupported-version} or {@code
   *     event-log-mismatch}
   */
  public record Outcome(Map<String, Object> claims, List<Problem> problems) {
    public Outcome {
      claims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(claims));
      problems = List.copyOf(problems);
    }

    static Outcome failed(Problem problem) {
      return new Outcome(Map.of(), List.of(problem));
    }
  }

  /** Every claim name an outcome may hold, dotted (for scheme descriptors and reference values). */
  public static List<String> claimNames() {
    List<String> names =
        new ArrayList<>(
            List.of(
                "event_log.banks",
                "event_log.registers",
                "event_log.event_count",
                "event_log.padding",
                "secure_boot.enabled",
                "secure_boot.pk",
                "secure_boot.kek",
                "secure_boot.db",
                "secure_boot.dbx",
                "boot.digest_bank",
                "boot.loader",
                "boot.kernel",
                "boot.applications",
                "boot.cmdline"));
    EventTypes.all().forEach(type -> names.add("events." + type));
    return List.copyOf(names);
  }

  /**
   * The claims of {@link #claimNames()} that are byte strings, with their lengths: the Secure Boot
   * variable digests (SHA-256 of the variable's data) and the boot application digests (in the bank
   * {@code boot.digest_bank} names, any bank Arbiter replays). {@code boot.applications} is a list
   * of such digests, not a byte string.
   */
  public static Map<String, java.util.Set<Integer>> byteClaims() {
    java.util.Set<Integer> sha256 = java.util.Set.of(32);
    java.util.Set<Integer> banks = new java.util.TreeSet<>();
    for (LogAlg alg : LogAlg.values()) {
      banks.add(alg.size);
    }
    Map<String, java.util.Set<Integer>> out = new LinkedHashMap<>();
    for (String variable : List.of("pk", "kek", "db", "dbx")) {
      out.put("secure_boot." + variable, sha256);
    }
    out.put("boot.loader", banks);
    out.put("boot.kernel", banks);
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * Replays {@code bytes} against the signed registers.
   *
   * @param bytes the event log
   * @param profile TPM PCRs or CC measurement registers
   * @param signed signed register values: bank name ({@code sha256}, ...) to register index to
   *     value; only values a verified signature covers
   * @param what how problems name the signed side ({@code the quote}, {@code the TD report})
   */
  public static Outcome verify(
      byte[] bytes, Profile profile, Map<String, Map<Integer, byte[]>> signed, String what) {
    TcgEventLog log;
    try {
      log = TcgEventLog.parse(bytes);
    } catch (EventLogException e) {
      return Outcome.failed(
          Problem.of(
              e.unsupported()
                  ? EvidenceProblem.UNSUPPORTED_VERSION
                  : EvidenceProblem.EVIDENCE_MALFORMED,
              "event log: " + e.getMessage()));
    }
    List<LogAlg> replayable = new ArrayList<>();
    for (int id : log.algorithms().keySet()) {
      LogAlg.byId(id).ifPresent(replayable::add);
    }
    if (replayable.isEmpty()) {
      return Outcome.failed(
          Problem.of(
              EvidenceProblem.UNSUPPORTED_VERSION,
              "event log: no digest algorithm Arbiter can replay (declared: "
                  + log.algorithms().keySet().stream()
                      .map(id -> String.format("0x%04x", id))
                      .toList()
                  + ")"));
    }
    List<Problem> problems = new ArrayList<>();
    for (TcgEventLog.Event event : log.events()) {
      if (event.type() != EventTypes.EV_NO_ACTION && !profile.extendable(event.index())) {
        problems.add(
            Problem.of(
                EvidenceProblem.EVENT_LOG_MISMATCH,
                "event log: event "
                    + event.number()
                    + " extends "
                    + (event.index() <= profile.maxIndex
                        ? profile.register(event.index())
                        : "register " + event.index())
                    + ", which events cannot extend"));
        return new Outcome(Map.of(), problems);
      }
    }
    int locality = locality(log, profile);
    List<LogAlg> verified = new ArrayList<>();
    Map<Long, List<String>> mismatches = new TreeMap<>();
    Map<Long, List<String>> unsigned = new TreeMap<>();
    TreeMap<Long, Boolean> registers = new TreeMap<>();
    for (LogAlg alg : replayable) {
      Map<Integer, byte[]> bank = signed.get(alg.bank());
      if (bank == null) {
        continue;
      }
      Map<Long, byte[]> replayed = replay(log, profile, alg, locality);
      boolean ok = true;
      for (var entry : replayed.entrySet()) {
        registers.put(entry.getKey(), true);
        byte[] value = bank.get(entry.getKey().intValue());
        if (value == null) {
          unsigned.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(alg.bank());
          ok = false;
        } else if (!Digests.constantTimeEquals(value, entry.getValue())) {
          mismatches.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(alg.bank());
          ok = false;
        }
      }
      if (ok) {
        verified.add(alg);
      }
    }
    mismatches.forEach((index, banks) ->
        problems.add(
            Problem.of(
                EvidenceProblem.EVENT_LOG_MISMATCH,
                "event log: "
                    + profile.register(index)
                    + " replays to a value that differs from "
                    + what
                    + " ("
                    + String.join(", ", banks)
                    + ")")));
    unsigned.forEach((index, banks) ->
        problems.add(
            Problem.of(
                EvidenceProblem.EVENT_LOG_MISMATCH,
                "event log: events extend "
                    + profile.register(index)
                    + ", which "
                    + what
                    + " does not cover ("
                    + String.join(", ", banks)
                    + ")")));
    if (verified.isEmpty() && problems.isEmpty()) {
      problems.add(
          Problem.of(
              EvidenceProblem.EVENT_LOG_MISMATCH,
              "event log: none of its banks ("
                  + String.join(", ", replayable.stream().map(LogAlg::bank).toList())
                  + ") is covered by "
                  + what));
    }
    if (!problems.isEmpty()) {
      return new Outcome(Map.of(), problems);
    }
    Map<String, Object> claims = new LinkedHashMap<>();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("banks", verified.stream().map(LogAlg::bank).toList());
    summary.put("registers", registers.keySet().stream().map(profile::register).toList());
    summary.put("event_count", (long) log.events().size());
    if (log.padding() > 0) {
      summary.put("padding", (long) log.padding());
    }
    claims.put("event_log", summary);
    claims.put("events", countByType(log));
    claims.putAll(BootClaims.of(log, profile, preferred(verified)));
    return new Outcome(claims, List.of());
  }

  private static Map<Long, byte[]> replay(
      TcgEventLog log, Profile profile, LogAlg alg, int locality) {
    Map<Long, byte[]> registers = new TreeMap<>();
    for (TcgEventLog.Event event : log.events()) {
      if (event.type() == EventTypes.EV_NO_ACTION) {
        continue;
      }
      byte[] current =
          registers.computeIfAbsent(
              event.index(), index -> profile.initial(index, alg.size, locality));
      registers.put(
          event.index(), Digests.digest(alg.jcaName, current, event.digests().get(alg.id)));
    }
    return registers;
  }

  /** The locality of a {@code StartupLocality} EV_NO_ACTION event in PCR 0 (TPM), else 0. */
  private static int locality(TcgEventLog log, Profile profile) {
    if (profile != Profile.TPM) {
      return 0;
    }
    for (TcgEventLog.Event event : log.events()) {
      byte[] data = event.data();
      if (event.type() == EventTypes.EV_NO_ACTION
          && event.index() == 0
          && data.length == STARTUP_LOCALITY.length + 1
          && Arrays.equals(data, 0, STARTUP_LOCALITY.length, STARTUP_LOCALITY, 0, 16)) {
        return data[STARTUP_LOCALITY.length] & 0xff;
      }
    }
    return 0;
  }

  private static Map<String, Object> countByType(TcgEventLog log) {
    Map<String, Long> counts = new TreeMap<>();
    for (TcgEventLog.Event event : log.events()) {
      counts.merge(EventTypes.name(event.type()), 1L, Long::sum);
    }
    return new LinkedHashMap<>(counts);
  }

  /** The bank boot digests are given in: SHA-256, else SHA-384, SHA-512, SHA-1. */
  private static LogAlg preferred(List<LogAlg> verified) {
    for (LogAlg alg : List.of(LogAlg.SHA256, LogAlg.SHA384, LogAlg.SHA512, LogAlg.SHA1)) {
      if (verified.contains(alg)) {
        return alg;
      }
    }
    throw new IllegalStateException("no verified bank");
  }
}
