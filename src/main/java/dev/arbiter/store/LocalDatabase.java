// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Reaches the embedded database of a data directory from another process: when a server is running
 * (its postmaster.pid names a live process) it connects to that PostgreSQL's Unix socket; otherwise
 * it starts the embedded PostgreSQL for the duration of the call. Never migrates. The caller names
 * the cluster directory (the store knows nothing of the data directory's layout).
 */
public final class LocalDatabase {
  private LocalDatabase() {}

  /**
   * Runs {@code work} against the embedded database whose cluster is in {@code cluster}, or against
   * {@code url} when given.
   */
  public static <T> T with(
      Path cluster, java.util.Optional<String> url, Function<Database, T> work) {
    if (url.isPresent()) {
      try (Database database = Database.open(new Database.Location.External(url.get()), false)) {
        return work.apply(database);
      }
    }
    return withReadOnly(cluster, work);
  }

  /**
   * Runs {@code work} against the embedded database whose cluster is in {@code cluster} (never
   * migrated).
   */
  public static <T> T withReadOnly(Path cluster, Function<Database, T> work) {
    Path pgdata = cluster.resolve("pgdata");
    if (!Files.isDirectory(pgdata)) {
      Path shown = cluster.getParent() == null ? cluster : cluster.getParent();
      throw new StoreException(
          "no embedded database in "
              + shown
              + " (start 'arbiter serve' once, or pass --database-url)",
          null);
    }
    Path pid = pgdata.resolve("postmaster.pid");
    if (Files.exists(pid)) {
      try {
        List<String> lines = Files.readAllLines(pid, StandardCharsets.US_ASCII);
        long process = Long.parseLong(lines.get(0).strip());
        if (ProcessHandle.of(process).map(ProcessHandle::isAlive).orElse(false)) {
          try (Database database =
              Database.open(new Database.Location.EmbeddedRunning(cluster), false)) {
            return work.apply(database);
          }
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof StoreException store) {
          throw store;
        }
        // a stale or unreadable pid file: fall through and start the embedded server
      }
    }
    try (Database database = Database.open(new Database.Location.Embedded(cluster), false)) {
      return work.apply(database);
    }
  }
}
