// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the local-user attacks on the embedded database: connecting without the password (as the
 * superuser or as Arbiter's role), from another OS user over TCP and the Unix socket, running
 * programs through {@code COPY ... TO PROGRAM}, and swapping binaries in a world-writable
 * directory.
 */
class EmbeddedClusterSecurityTest {
  @TempDir static Path root;
  private static Database database;
  private static int port;

  @BeforeAll
  static void start() throws IOException {
    Files.setPosixFilePermissions(
        root,
        EnumSet.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.OTHERS_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE));
    database = Database.open(new Database.Location.Embedded(root.resolve("db")));
    port = Integer.parseInt(database.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void connection_withoutPassword_isRefusedForEveryRole() {
    for (String user : List.of("postgres", "arbiter")) {
      Properties properties = new Properties();
      properties.setProperty("user", user);
      assertThatThrownBy(() ->
              DriverManager.getConnection(
                      "jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties)
                  .close())
          .as(user)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
      properties.setProperty("password", "guess");
      assertThatThrownBy(() ->
              DriverManager.getConnection(
                      "jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties)
                  .close())
          .as(user)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
    }
  }

  @Test
  void applicationRole_isNotSuperuserAndCannotRunPrograms() {
    boolean superuser =
        database
            .jdbi()
            .withHandle(h ->
                h.createQuery("select rolsuper from pg_roles where rolname = current_user")
                    .mapTo(Boolean.class)
                    .one());
    assertThat(superuser).isFalse();
    assertThatThrownBy(
            () -> database.jdbi().useHandle(h -> h.execute("copy (select 1) to program 'id'")))
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() ->
            database
                .jdbi()
                .useHandle(h ->
                    h.createQuery("select pg_read_file('pg_hba.conf')").mapTo(String.class).one()))
        .hasMessageContaining("permission denied");
  }

  @Test
  void dataDirectory_hasNothingGroupOrWorldWritable() throws IOException {
    Set<PosixFilePermission> shared =
        EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    try (Stream<Path> paths = Files.walk(root.resolve("db"))) {
      List<Path> writable =
          paths
              .filter(p -> !Files.isSymbolicLink(p))
              .filter(p -> {
                try {
                  Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p);
                  return permissions.stream().anyMatch(shared::contains);
                } catch (IOException e) {
                  return false;
                }
              })
              .toList();
      assertThat(writable).isEmpty();
    }
    for (String dir : List.of("db", "db/pgbin", "db/socket")) {
      assertThat(Files.getPosixFilePermissions(root.resolve(dir)))
          .as(dir)
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE);
    }
    assertThat(Files.getPosixFilePermissions(root.resolve("db/credentials.properties")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void psql_asAnUnprivilegedOsUser_cannotGetIn() throws Exception {
    Path psql =
        Stream.of("/usr/bin/psql", "/usr/local/bin/psql")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    Path runuser =
        Stream.of("/usr/sbin/runuser", "/sbin/runuser")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    boolean isRoot = "root".equals(System.getProperty("user.name"));
    boolean ci = System.getenv("CI") != null;
    if (psql == null || runuser == null || !isRoot) {
      assertThat(ci)
          .as(
              "CI needs psql and runuser as root to replay this attack (.ci/install-tools.sh"
                  + " installs postgresql-client)")
          .isFalse();
      assumeTrue(
          false, "psql/runuser missing or not root: the unprivileged-user replay is skipped");
    }
    for (List<String> target :
        List.of(
            List.of("-h", "127.0.0.1", "-p", Integer.toString(port)),
            List.of("-h", root.resolve("db/socket").toString(), "-p", Integer.toString(port)))) {
      for (String user : List.of("postgres", "arbiter")) {
        List<String> command =
            new java.util.ArrayList<>(
                List.of(runuser.toString(), "-u", "nobody", "--", psql.toString(), "-w"));
        command.addAll(target);
        command.addAll(List.of("-U", user, "-d", "postgres", "-c", "select 1"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(command + ": " + output).isNotZero();
        assertThat(output)
            .as(String.join(" ", command))
            .containsAnyOf("password", "Permission denied", "No such file");
      }
    }
  }

  @Test
  void restart_withTheSavedPasswords_works() {
    Database again =
        Database.open(new Database.Location.EmbeddedRunning(root.resolve("db"), port), false);
    try {
      String user =
          again
              .jdbi()
              .withHandle(h -> h.createQuery("select current_user").mapTo(String.class).one());
      assertThat(user).isEqualTo("arbiter");
    } finally {
      again.close();
    }
  }
}
