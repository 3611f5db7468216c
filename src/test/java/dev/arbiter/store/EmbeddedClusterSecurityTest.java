// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
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
 * superuser or as Arbiter's role), from another OS user over TCP (nothing listens) and the Unix
 * socket (its directory is 0700), running programs through {@code COPY ... TO PROGRAM}, and
 * swapping binaries in a world-writable directory.
 */
class EmbeddedClusterSecurityTest {
  @TempDir static Path root;
  private static Database database;

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
      assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), properties).close())
          .as(user)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
      properties.setProperty("password", "guess");
      assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), properties).close())
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
    boolean otherTcpServer = connectable(new InetSocketAddress("127.0.0.1", PostgresServer.PORT));
    for (List<String> target :
        List.of(
            List.of("-h", "127.0.0.1", "-p", Integer.toString(PostgresServer.PORT)),
            List.of(
                "-h",
                root.resolve("db/socket").toString(),
                "-p",
                Integer.toString(PostgresServer.PORT)))) {
      boolean tcp = target.get(1).equals("127.0.0.1");
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
        if (!tcp) {
          assertThat(output).as(String.join(" ", command)).contains("Permission denied");
        } else if (!otherTcpServer) {
          assertThat(output).as(String.join(" ", command)).contains("Connection refused");
        }
      }
    }
  }

  @Test
  void server_listensOnNoTcpSocket() throws IOException {
    String listen =
        database
            .jdbi()
            .withHandle(h -> h.createQuery("show listen_addresses").mapTo(String.class).one());
    assertThat(listen).isEmpty();
    List<String> pidFile = Files.readAllLines(root.resolve("db/pgdata/postmaster.pid"));
    assertThat(pidFile.get(5)).as("listen address line of postmaster.pid").isBlank();
    assertThat(pidFile.get(4)).isEqualTo(root.resolve("db/socket").toString());
    // every socket the server's processes hold is a Unix socket, none is TCP
    long postmaster = Long.parseLong(pidFile.get(0).strip());
    ProcessHandle server = ProcessHandle.of(postmaster).orElseThrow();
    Set<String> held = new java.util.HashSet<>();
    Stream.concat(Stream.of(server), server.descendants())
        .forEach(process -> held.addAll(socketInodes(process.pid())));
    Set<String> tcp = new java.util.HashSet<>();
    Set<String> unix = new java.util.HashSet<>();
    for (String table : List.of("tcp", "tcp6")) {
      tcp.addAll(column(Path.of("/proc", Long.toString(postmaster), "net", table), 9));
    }
    unix.addAll(column(Path.of("/proc", Long.toString(postmaster), "net", "unix"), 6));
    assertThat(held).as("sockets held by PostgreSQL").isNotEmpty();
    assertThat(held).as("a Unix socket among them").containsAnyElementsOf(unix);
    assertThat(held).as("TCP sockets held by PostgreSQL").doesNotContainAnyElementsOf(tcp);
  }

  @Test
  void socketDirectory_forALongPath_isAShortOwnerOnlyDirectory(@TempDir Path temp)
      throws IOException, InterruptedException {
    Path deep = temp.resolve("d".repeat(120)).resolve("db");
    Files.createDirectories(deep);
    Path socket = EmbeddedCluster.socketDirectory(deep);
    try {
      assertThat(socket.toString()).startsWith("/tmp/arbiter-pg-").hasSize(32);
      assertThat(Files.getPosixFilePermissions(socket))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE);
      assertThat(EmbeddedCluster.socketDirectory(deep)).isEqualTo(socket);
      if ("root".equals(System.getProperty("user.name"))) {
        // planted by another user: refused, never used
        Process chown = new ProcessBuilder("chown", "nobody", socket.toString()).start();
        assertThat(chown.waitFor()).isZero();
        assertThatThrownBy(() -> EmbeddedCluster.socketDirectory(deep))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("not a directory owned by");
      }
    } finally {
      Files.deleteIfExists(socket);
    }
  }

  private static Set<String> socketInodes(long pid) {
    Set<String> inodes = new java.util.HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed while listing
        }
      }
    } catch (IOException e) {
      // the process exited
    }
    return inodes;
  }

  private static List<String> column(Path table, int index) throws IOException {
    return Files.readAllLines(table).stream()
        .skip(1)
        .map(line -> line.strip().split("\\s+"))
        .filter(fields -> fields.length > index)
        .map(fields -> fields[index])
        .toList();
  }

  private static boolean connectable(InetSocketAddress address) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(address, 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void restart_withTheSavedPasswords_works() {
    Database again =
        Database.open(new Database.Location.EmbeddedRunning(root.resolve("db")), false);
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
