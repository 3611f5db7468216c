// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.report;

import dev.arbiter.auth.Principal;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.governance.AuditLog;
import dev.arbiter.policy.PolicyService;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic evidence exports: a workload's schedule (period and directory under {@code <data
 * dir>/exports}) is stored in the database, so it survives restarts and any replica may run it;
 * each run writes one bundle covering the time since the previous run and is audited ({@code
 * governance.export}, with the file and the manifest digest) in the transaction that advances the
 * schedule.
 */
public final class ExportSchedules {
  private static final Logger LOG = LoggerFactory.getLogger(ExportSchedules.class);
  private static final Principal SYSTEM = Principal.system("governance-export-scheduler");

  private final Database database;
  private final GovernanceReports reports;
  private final VerificationKeys keys;
  private final ServiceKey signer;
  private final AuditLog audit;
  private final Path exportsRoot;

  public ExportSchedules(
      Database database,
      GovernanceReports reports,
      VerificationKeys keys,
      ServiceKey signer,
      AuditLog audit,
      Path exportsRoot) {
    this.database = database;
    this.reports = reports;
    this.keys = keys;
    this.signer = signer;
    this.audit = audit;
    this.exportsRoot = exportsRoot.toAbsolutePath().normalize();
  }

  /** The stored schedules. */
  public List<ExportSchedule> list() {
    return database.inTransaction(ScheduleStore::list);
  }

  /**
   * Sets (replaces) the schedule of {@code workload}: every {@code every} (ISO-8601, at least one
   * minute) into {@code directory} (relative, under the exports root); the first run is one period
   * from now. Audited {@code governance.schedule-export}.
   *
   * @throws ProblemException {@code schedule-invalid}, or when the workload does not exist
   */
  public ExportSchedule set(
      Principal who, String workload, String every, String directory, String reason) {
    Duration period;
    try {
      period = Duration.parse(every);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new ProblemException(
          ReportProblem.SCHEDULE_INVALID, "every is not an ISO-8601 duration");
    }
    if (period.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new ProblemException(ReportProblem.SCHEDULE_INVALID, "every must be at least PT1M");
    }
    dev.arbiter.policy.Names.reason(reason);
    Path target = directory(directory);
    Instant now = reports.clock().instant().truncatedTo(ChronoUnit.MICROS);
    return database.inTransaction(tx -> {
      PolicyService.workload(tx, workload);
      ScheduleStore.upsert(
          tx, workload, period.toSeconds(), directory, now.plus(period), now, who.label());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("every", period.toString());
      details.put("directory", directory);
      audit.append(
          tx, who, "governance.schedule-export", workload, reason, Optional.empty(), details);
      LOG.info("export schedule of {}: every {} into {}", workload, period, target);
      return ScheduleStore.list(tx).stream()
          .filter(s -> s.workload().equals(workload))
          .findFirst()
          .orElseThrow();
    });
  }

  /** Resolves a schedule directory under the exports root, refusing anything outside it. */
  Path directory(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new ProblemException(ReportProblem.SCHEDULE_INVALID, "a directory is required");
    }
    Path relative = Path.of(directory);
    Path resolved = exportsRoot.resolve(relative).normalize();
    if (relative.isAbsolute()
        || !resolved.startsWith(exportsRoot)
        || resolved.equals(exportsRoot)) {
      throw new ProblemException(
          ReportProblem.SCHEDULE_INVALID,
          "the directory must be a relative path below " + exportsRoot);
    }
    return resolved;
  }

  /** Runs every due schedule once (the scheduler thread calls this each tick). */
  public int runDue() {
    Instant now = reports.clock().instant().truncatedTo(ChronoUnit.MICROS);
    return database.inTransaction(tx -> {
      int ran = 0;
      for (ExportSchedule schedule : ScheduleStore.lockDue(tx, now)) {
        Instant from =
            schedule.lastRunAt() == null ? Instant.EPOCH : Instant.parse(schedule.lastRunAt());
        EvidenceBundle.Written written =
            EvidenceBundle.export(
                reports, keys, signer, schedule.workload(), new GovernanceReports.Range(from, now));
        Path dir = directory(schedule.directory());
        Path file =
            dir.resolve(schedule.workload() + "-" + now.toString().replace(':', '-') + ".zip");
        write(file, written.zip());
        Instant next = Instant.parse(schedule.nextRunAt()).plusSeconds(schedule.everyS());
        if (!next.isAfter(now)) {
          next = now.plusSeconds(schedule.everyS());
        }
        ScheduleStore.ran(tx, schedule.workload(), now, next);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", exportsRoot.relativize(file).toString());
        details.put("manifest_sha256", written.manifestSha256());
        details.put("from", from.toString());
        details.put("to", now.toString());
        audit.append(
            tx,
            SYSTEM,
            "governance.export",
            schedule.workload(),
            "scheduled evidence export",
            Optional.empty(),
            details);
        ran++;
      }
      return ran;
    });
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".export-", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A background thread calling {@link #runDue} every {@code tick}; close to stop it. */
  public AutoCloseable start(Duration tick) {
    Thread thread =
        Thread.ofPlatform()
            .daemon()
            .name("arbiter-governance-exports")
            .start(() -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(tick.toMillis());
                  runDue();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  LOG.error("scheduled governance export failed", e);
                }
              }
            });
    return () -> {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }
}
