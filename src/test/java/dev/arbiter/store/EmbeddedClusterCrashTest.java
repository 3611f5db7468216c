// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After {@code kill -9} of the process that owned the embedded database, the next start succeeds on
 * the first try.
 */
class EmbeddedClusterCrashTest {
  /** Child JVM: opens the embedded database of args[0], prints "ready" and waits to be killed. */
  public static void main(String[] args) throws Exception {
    Database database = Database.open(new Database.Location.Embedded(Path.of(args[0])));
    database.jdbi().useHandle(h -> h.execute("create table if not exists crash_marker(id int)"));
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  @Test
  void startAfterSigkill_stopsTheOrphanAndOpensOnTheFirstTry(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("db");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedClusterCrashTest.class.getName(),
                db.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.equals("ready"));
      assertThat(line).as("child opened the database").isEqualTo("ready");
    }
    long orphan =
        Long.parseLong(Files.readAllLines(db.resolve("pgdata/postmaster.pid")).get(0).strip());
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
        .as("PostgreSQL outlives SIGKILL of its owner")
        .contains(true);

    try (Database database = Database.open(new Database.Location.Embedded(db))) {
      long tables =
          database
              .jdbi()
              .withHandle(h ->
                  h.createQuery("select count(*) from pg_tables where tablename = 'crash_marker'")
                      .mapTo(Long.class)
                      .one());
      assertThat(tables).isEqualTo(1);
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
          .as("orphan stopped")
          .isFalse();
      // a second open while this one runs is refused, never kills a live server's database
      assertThatThrownBy(() -> Database.open(new Database.Location.Embedded(db)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("in use by another running Arbiter");
    }
  }
}
