// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tpm;

import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real software TPM 2.0 ({@code swtpm}) on a free loopback port, driven with {@code tpm2-tools}.
 * There is no resource manager, so every command is followed by flushing transient objects and
 * sessions. Outside CI a missing swtpm skips the calling test; under {@code CI} it fails.
 */
final class Swtpm implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final int port;

  private Swtpm(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  static Swtpm start(Path dir) throws Exception {
    requireTools();
    for (int attempt = 0; attempt < 10; attempt++) {
      int port = freePortPair();
      Path state = Files.createDirectories(dir.resolve("state"));
      Process process =
          new ProcessBuilder(
                  "swtpm",
                  "socket",
                  "--tpm2",
                  "--server",
                  "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
                  "--ctrl",
                  "type=tcp,port=" + (port + 1) + ",bindaddr=127.0.0.1",
                  "--flags",
                  "not-need-init,startup-clear",
                  "--tpmstate",
                  "dir=" + state)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("swtpm.log").toFile())
              .start();
      if (waitForPort(port, process)) {
        return new Swtpm(process, dir, port);
      }
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    throw new IllegalStateException("swtpm did not start; see " + dir.resolve("swtpm.log"));
  }

  private static void requireTools() {
    List<String> missing = new ArrayList<>();
    for (String tool :
        List.of(
            "swtpm",
            "tpm2_createek",
            "tpm2_createak",
            "tpm2_readpublic",
            "tpm2_quote",
            "tpm2_pcrextend",
            "tpm2_flushcontext")) {
      if (!onPath(tool)) {
        missing.add(tool);
      }
    }
    if (!missing.isEmpty()) {
      String message =
          "swtpm end-to-end test needs "
              + missing
              + " (Debian: apt-get install swtpm swtpm-tools tpm2-tools;"
              + " .ci/install-tools.sh does this)";
      if (RepoPaths.underCi()) {
        throw new AssertionError(message + " and CI is set");
      }
      Assumptions.abort(message + "; skipping");
    }
  }

  private static boolean onPath(String tool) {
    for (String entry :
        System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, tool))) {
        return true;
      }
    }
    return false;
  }

  private static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      if (port < 65535) {
        try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          // try another pair
        }
      }
    }
    throw new IOException("no free loopback port pair");
  }

  private static boolean waitForPort(int port, Process process) throws InterruptedException {
    for (int i = 0; i < 100 && process.isAlive(); i++) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return true;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    return false;
  }

  /**
   * Runs a tpm2-tools command in the work directory, then flushes transient objects and sessions.
   */
  String run(String... command) throws Exception {
    String out = exec(command);
    exec("tpm2_flushcontext", "-t");
    exec("tpm2_flushcontext", "-s");
    return out;
  }

  private String exec(String... command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("TPM2TOOLS_TCTI", "swtpm:host=127.0.0.1,port=" + port);
    Process child = builder.start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!child.waitFor(60, TimeUnit.SECONDS) || child.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
