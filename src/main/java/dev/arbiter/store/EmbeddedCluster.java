// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The embedded PostgreSQL cluster of a data directory, locked down: no TCP listener at all, one
 * Unix socket in a 0700 directory; password (SCRAM-SHA-256) authentication for every connection,
 * with random passwords kept in a 0600 file (a new cluster is created with SCRAM, never trust);
 * Arbiter connects as the role {@code arbiter}, which owns only its schema and is not a superuser
 * (so {@code COPY ... TO PROGRAM} and file access are out of its reach); binaries, data and socket
 * directories are not group- or world-accessible. Arbiter reaches the socket through {@link
 * UnixSocketFactory}.
 *
 * <p>The socket directory is {@code <directory>/socket}, unless its socket file's path would exceed
 * what a Unix socket address holds (107 bytes): then it is {@code /tmp/arbiter-pg-<16 hex digits of
 * the SHA-256 of that path>}, created 0700 by this OS user (a directory there owned by someone
 * else, or a link, is refused). A cluster created by an earlier Arbiter (trust authentication,
 * tables owned by {@code postgres}) is converted on its first start.
 */
final class EmbeddedCluster {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(EmbeddedCluster.class);
  static final String APP_ROLE = "arbiter";
  private static final String SUPERUSER = PostgresServer.SUPERUSER;
  private static final int SOCKET_PATH_LIMIT = 107;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");

  private final PostgresServer server;
  private final Credentials credentials;

  private EmbeddedCluster(PostgresServer server, Credentials credentials) {
    this.server = server;
    this.credentials = credentials;
  }

  /** The passwords of the superuser and of the application role. */
  record Credentials(String superuserPassword, String appPassword) {
    static Credentials random() {
      return new Credentials(secret(), secret());
    }

    private static String secret() {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(dev.arbiter.crypto.Randoms.bytes(24));
    }
  }

  /** Starts (creating and securing on first use) the cluster under {@code directory}. */
  static EmbeddedCluster start(Path directory) throws IOException {
    ownerOnlyDirectory(directory);
    Path binaries = ownerOnlyDirectory(directory.resolve("pgbin"));
    Path socket = socketDirectory(directory);
    Path data = directory.resolve("pgdata");
    Path secrets = directory.resolve("credentials.properties");
    boolean initialized = Files.exists(data.resolve("PG_VERSION"));
    boolean secured = Files.exists(secrets) && initialized;
    stopOrphan(data);
    Credentials credentials = secured ? read(secrets) : Credentials.random();
    if (!secured) {
      // before securing: a crash in between leaves a cluster whose passwords are not known
      write(secrets, credentials);
    }
    Path home = PostgresBinaries.unpack(binaries);
    if (!initialized) {
      PostgresServer.initdb(home, data, credentials.superuserPassword());
    }
    PostgresServer server = PostgresServer.start(home, data, socket);
    EmbeddedCluster cluster = new EmbeddedCluster(server, credentials);
    try {
      cluster.secure(data);
      restrict(directory);
    } catch (SQLException | IOException | RuntimeException e) {
      server.stop();
      throw new StoreException("cannot secure the embedded PostgreSQL: " + e.getMessage(), e);
    }
    return cluster;
  }

  /**
   * The directory of the cluster's Unix socket: {@code <directory>/socket}, or a short 0700
   * directory under {@code /tmp} when that path is too long for a socket address.
   */
  static Path socketDirectory(Path directory) throws IOException {
    Path preferred = directory.toAbsolutePath().normalize().resolve("socket");
    String socketFile = preferred.resolve(".s.PGSQL." + PostgresServer.PORT).toString();
    if (socketFile.getBytes(StandardCharsets.UTF_8).length <= SOCKET_PATH_LIMIT) {
      return ownerOnlyDirectory(preferred);
    }
    String hash =
        java.util.HexFormat.of()
            .formatHex(
                dev.arbiter.crypto.Digests.sha256(
                    preferred.toString().getBytes(StandardCharsets.UTF_8)),
                0,
                8);
    Path fallback = Path.of("/tmp", "arbiter-pg-" + hash);
    try {
      Files.createDirectory(fallback, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // checked below
    }
    BasicFileAttributes attributes =
        Files.readAttributes(fallback, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    java.nio.file.attribute.UserPrincipal owner =
        Files.getOwner(fallback, LinkOption.NOFOLLOW_LINKS);
    java.nio.file.attribute.UserPrincipal self = Files.getOwner(directory);
    if (!attributes.isDirectory() || !owner.equals(self)) {
      throw new StoreException(
          "the socket directory "
              + fallback
              + " (used because "
              + directory
              + " is too long for a Unix socket path) is not a directory owned by "
              + self.getName()
              + "; remove it",
          null);
    }
    Files.setPosixFilePermissions(fallback, OWNER_ONLY);
    return fallback;
  }

  /**
   * The socket file of the cluster of {@code directory} that a server is running now, from its
   * {@code postmaster.pid} (port and socket directory lines).
   */
  static Path runningSocket(Path directory) throws IOException {
    List<String> lines =
        Files.readAllLines(directory.resolve("pgdata/postmaster.pid"), StandardCharsets.US_ASCII);
    if (lines.size() < 5 || lines.get(4).isBlank()) {
      throw new StoreException(
          "the embedded database in " + directory + " is not running (no socket in postmaster.pid)",
          null);
    }
    return Path.of(lines.get(4).strip()).resolve(".s.PGSQL." + lines.get(3).strip());
  }

  /** The JDBC URL of a cluster's socket (no user, no password in it). */
  static String jdbcUrl(Path socket) {
    return "jdbc:postgresql://localhost/postgres?sslmode=disable&gssEncMode=disable"
        + "&socketFactory="
        + UnixSocketFactory.class.getName()
        + "&socketFactoryArg="
        + java.net.URLEncoder.encode(socket.toString(), StandardCharsets.UTF_8);
  }

  /**
   * A server killed with SIGKILL leaves its PostgreSQL running and holding the data directory. When
   * {@code postmaster.pid} names a live postgres process and no live Arbiter holds the launcher's
   * lock file (the OS releases it when its holder dies), that postgres is an orphan: it is asked to
   * shut down (SIGTERM, then SIGKILL after a minute) so this start succeeds on the first try. A
   * postgres that a running Arbiter still owns is never touched: that start is refused.
   */
  private static void stopOrphan(Path data) throws IOException {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).strip());
    } catch (RuntimeException e) {
      return; // unreadable: PostgreSQL itself judges a stale pid file
    }
    java.util.Optional<ProcessHandle> process =
        ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .filter(handle ->
                handle
                    .info()
                    .command()
                    .map(command -> command.endsWith("/postgres"))
                    .orElse(false));
    if (process.isEmpty()) {
      return;
    }
    try (java.nio.channels.FileChannel channel =
            java.nio.channels.FileChannel.open(
                data.resolve("epg-lock"),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock = tryLock(channel)) {
      if (lock == null) {
        throw new StoreException(
            "the embedded database in "
                + data.getParent()
                + " is in use by another running Arbiter",
            null);
      }
      LOG.warn(
          "stopping PostgreSQL (pid {}) left running by an Arbiter that did not shut down", pid);
      process.get().destroy();
      try {
        process.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        process.get().destroyForcibly();
        process.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while stopping an orphaned PostgreSQL", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new StoreException("cannot stop the orphaned PostgreSQL (pid " + pid + ")", e);
    }
  }

  private static java.nio.channels.FileLock tryLock(java.nio.channels.FileChannel channel)
      throws IOException {
    try {
      return channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return null; // held in this very process
    }
  }

  /**
   * Connection settings for a running cluster of this data directory (another process, same OS
   * user).
   */
  static Credentials credentials(Path directory) throws IOException {
    return read(directory.resolve("credentials.properties"));
  }

  /** The JDBC URL of the application role (no password in it). */
  String jdbcUrl() {
    return jdbcUrl(server.socket());
  }

  String appPassword() {
    return credentials.appPassword();
  }

  /** Stops the server (idempotent). */
  void stop() {
    server.stop();
  }

  /**
   * Sets the passwords, creates the application role, hands it the {@code public} schema and what
   * is in it, and switches every line of {@code pg_hba.conf} to SCRAM. Idempotent.
   */
  private void secure(Path data) throws SQLException, IOException {
    Properties superuser = new Properties();
    superuser.setProperty("user", SUPERUSER);
    superuser.setProperty("password", credentials.superuserPassword());
    try (Connection connection = DriverManager.getConnection(jdbcUrl(), superuser);
        Statement sql = connection.createStatement()) {
      sql.execute("set password_encryption = 'scram-sha-256'");
      sql.execute(
          "alter role " + SUPERUSER + " password '" + credentials.superuserPassword() + "'");
      boolean exists;
      try (var rows =
          sql.executeQuery("select 1 from pg_roles where rolname = '" + APP_ROLE + "'")) {
        exists = rows.next();
      }
      sql.execute(
          (exists ? "alter role " : "create role ")
              + APP_ROLE
              + " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password '"
              + credentials.appPassword()
              + "'");
      sql.execute("alter schema public owner to " + APP_ROLE);
      for (String kind : List.of("table", "sequence", "view")) {
        String catalog =
            switch (kind) {
              case "table" ->
                  "select tablename from pg_tables where schemaname = 'public' and tableowner <> '"
                      + APP_ROLE
                      + "'";
              case "sequence" ->
                  "select sequencename from pg_sequences where schemaname = 'public' and"
                      + " sequenceowner <> '"
                      + APP_ROLE
                      + "'";
              default ->
                  "select viewname from pg_views where schemaname = 'public' and viewowner <> '"
                      + APP_ROLE
                      + "'";
            };
        List<String> names = new java.util.ArrayList<>();
        try (var rows = sql.executeQuery(catalog)) {
          while (rows.next()) {
            names.add(rows.getString(1));
          }
        }
        for (String name : names) {
          sql.execute(
              "alter "
                  + kind
                  + " public.\""
                  + name.replace("\"", "\"\"")
                  + "\" owner to "
                  + APP_ROLE);
        }
      }
      Path hba = data.resolve("pg_hba.conf");
      String wanted =
          "# written by Arbiter: Unix socket only, password (SCRAM) for every connection;"
              + " no trust, no peer, no TCP\n"
              + "local all all scram-sha-256\n";
      if (!Files.readString(hba, StandardCharsets.UTF_8).equals(wanted)) {
        Files.writeString(hba, wanted, StandardCharsets.UTF_8);
        sql.execute("select pg_reload_conf()");
      }
    }
  }

  private static Path ownerOnlyDirectory(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    Files.setPosixFilePermissions(directory, OWNER_ONLY);
    return directory;
  }

  /**
   * Removes group and other access from everything under {@code root} (the launcher extracts
   * binaries world-writable).
   */
  private static void restrict(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            strip(dir);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()) {
              strip(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // sockets and files PostgreSQL removes while we walk
          }
        });
  }

  private static void strip(Path path) throws IOException {
    Set<PosixFilePermission> permissions =
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    if (permissions.removeAll(
        Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE))) {
      Files.setPosixFilePermissions(path, permissions);
    }
  }

  private static void write(Path file, Credentials credentials) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
    Files.writeString(
        temp,
        "# embedded PostgreSQL passwords (SCRAM); keep this file private\n"
            + "superuser_password="
            + credentials.superuserPassword()
            + "\n"
            + "app_password="
            + credentials.appPassword()
            + "\n",
        StandardCharsets.UTF_8);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Credentials read(Path file) throws IOException {
    Properties properties = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    Map<String, String> values =
        Map.of(
            "superuser_password", properties.getProperty("superuser_password", ""),
            "app_password", properties.getProperty("app_password", ""));
    if (values.values().stream().anyMatch(String::isEmpty)) {
      throw new StoreException(
          "the embedded database credentials in " + file + " are incomplete", null);
    }
    return new Credentials(values.get("superuser_password"), values.get("app_password"));
  }
}
