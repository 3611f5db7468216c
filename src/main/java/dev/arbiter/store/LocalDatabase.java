// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import dev.arbiter.auth.DataDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * Reaches the embedded database of a data directory from another process: when a server is running
 * (its postmaster.pid names a live process) it connects to that PostgreSQL on loopback; otherwise it
 * starts the embedded PostgreSQL for the duration of the call. Never migrates.
 */
public final class LocalDatabase {
  private LocalDatabase() {}

  /** Runs {@code work} against the data directory's embedded database or {@code url} when given. */
  public static <T> T with(DataDir dir, java.util.Optional<String> url, Function<Jdbi, T> work) {
    if (url.isPresent()) {
      try (Database database = Database.open(new Database.Location.External(url.get()), false)) {
        return work.apply(database.jdbi());
      }
    }
    return withReadOnly(dir, work);
  }

  public static <T> T withReadOnly(DataDir dir, Function<Jdbi, T> work) {
    Path pgdata = dir.database().resolve("pgdata");
    if (!Files.isDirectory(pgdata)) {
      throw new StoreException("no embedded database in " + dir.root() + " (start 'arbiter serve' once, or pass --database-url)", null);
    }
    Path pid = pgdata.resolve("postmaster.pid");
    if (Files.exists(pid)) {
      try {
        List<String> lines = Files.readAllLines(pid, StandardCharsets.US_ASCII);
        long process = Long.parseLong(lines.get(0).strip());
        int port = Integer.parseInt(lines.get(3).strip());
        if (ProcessHandle.of(process).map(ProcessHandle::isAlive).orElse(false)) {
          try (Database database = Database.open(new Database.Location.EmbeddedRunning(dir.database(), port), false)) {
            return work.apply(database.jdbi());
          }
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof StoreException store) {
          throw store;
        }
        // a stale or unreadable pid file: fall through and start the embedded server
      }
    }
    try (Database database = Database.open(new Database.Location.Embedded(dir.database()), false)) {
      return work.apply(database.jdbi());
    }
  }
}
