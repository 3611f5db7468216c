// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.docs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.arbiter.testing.RepoPaths;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code ```sh} blocks of README.md in order, as a new user pasting them into one terminal
 * would: one bash ({@code -e -o pipefail}) in a scratch working directory (so {@code
 * ./arbiter-data} is a scratch data directory), where {@code ./arbiter} is a wrapper running this
 * build's classes and giving {@code serve} a free port. Blocks marked {@code <!-- readme-test: skip
 * (why) -->} are left out. Fails naming the block that failed or timed out, with its output; stops
 * the servers the blocks started in the background, also on failure. Then checks that .gitignore
 * covers every file the flows left in the working directory.
 */
class ReadmeFlowsTest {
  private static final String MARK = "@@readme-test block ";
  private static final Pattern MARKER = Pattern.compile("^" + MARK + "(\\d+) (start|end)$");
  private static final Duration BLOCK_TIMEOUT =
      Duration.ofSeconds(Long.getLong("arbiter.readme.blockTimeoutSeconds", 600));

  @Test
  void readmeBlocks_runInOrder_onAFreshDataDir(@TempDir Path work) throws Exception {
    Path root = RepoPaths.root();
    List<ReadmeBlocks.Block> blocks =
        ReadmeBlocks.parse(Files.readString(root.resolve("README.md"), UTF_8));
    List<ReadmeBlocks.Block> runnable = blocks.stream().filter(b -> b.skip().isEmpty()).toList();
    assertThat(runnable).as("runnable ```sh blocks in README.md").isNotEmpty();

    Path home = Files.createDirectories(work.resolve("home"));
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    Path dir = Files.createDirectories(work.resolve("repo"));
    writeWrapper(dir.resolve("arbiter"), tmp, freePort());
    Path script = work.resolve("readme.sh");
    Files.writeString(script, script(runnable), UTF_8);
    Path log = work.resolve("readme.log");

    ProcessBuilder builder =
        new ProcessBuilder(
                "bash", "--noprofile", "--norc", "-e", "-o", "pipefail", script.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("ARBITER_"));
    env.put("HOME", home.toString());
    env.put("ARBITER_CONFIG", home.resolve("arbiter-config.json").toString());
    env.put("LC_ALL", "C");

    long started = System.nanoTime();
    Process bash = builder.start();
    List<ProcessHandle> seen = new ArrayList<>();
    Outcome outcome;
    try {
      outcome = supervise(bash, log, seen);
    } finally {
      stopAll(bash, seen, dir);
    }
    String output = Files.readString(log, UTF_8);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    if (outcome.failedBlock() >= 0 || outcome.exitCode() != 0) {
      int index = Math.max(0, outcome.failedBlock());
      ReadmeBlocks.Block block = runnable.get(index);
      fail(
          block.title()
              + (outcome.timedOut()
                  ? " timed out after " + BLOCK_TIMEOUT.toSeconds() + " s"
                  : ended(output).contains(index)
                      ? " ran, then bash exited " + outcome.exitCode() + " (the EXIT trap?)"
                      : " failed (bash exit " + outcome.exitCode() + ")")
              + ":\n"
              + block.text()
              + "--- its output (and the background servers') ---\n"
              + blockOutput(output, index));
    }
    assertThat(ended(output)).as(output).hasSize(runnable.size());
    String[] lines = output.strip().split("\n");
    System.out.printf(
        "ReadmeFlowsTest: %d README blocks ran in %d s (%d skipped); CPU user/sys of the commands:"
            + " %s%n",
        runnable.size(),
        took.toSeconds(),
        blocks.size() - runnable.size(),
        lines[lines.length - 1]);
    assertIgnored(root, dir);
  }

  /** Whether a block failed or timed out, and bash's exit code. */
  private record Outcome(int failedBlock, boolean timedOut, int exitCode) {}

  private static Outcome supervise(Process bash, Path log, List<ProcessHandle> seen)
      throws Exception {
    int current = -1;
    long blockStarted = System.nanoTime();
    while (true) {
      boolean done = bash.waitFor(250, TimeUnit.MILLISECONDS);
      bash.descendants().filter(p -> !seen.contains(p)).forEach(seen::add);
      List<Integer> starts = started(Files.readString(log, UTF_8));
      int latest = starts.isEmpty() ? -1 : starts.get(starts.size() - 1);
      if (latest != current) {
        current = latest;
        blockStarted = System.nanoTime();
      }
      if (done) {
        int exit = bash.exitValue();
        List<Integer> ends = ended(Files.readString(log, UTF_8));
        boolean finished = current >= 0 && ends.contains(current);
        return new Outcome(exit == 0 && finished ? -1 : current, false, exit);
      }
      if (System.nanoTime() - blockStarted > BLOCK_TIMEOUT.toNanos()) {
        return new Outcome(current, true, -1);
      }
    }
  }

  /**
   * Stops what the blocks left running: the {@code arbiter} JVMs first with SIGTERM (a server then
   * stops its embedded PostgreSQL), then anything else seen, forcibly. A server whose shell ended
   * is no longer a descendant; its pid is in {@code arbiter-data/serve.lock}.
   */
  private static void stopAll(Process bash, List<ProcessHandle> seen, Path dir) throws Exception {
    bash.descendants().filter(p -> !seen.contains(p)).forEach(seen::add);
    Path lock = dir.resolve("arbiter-data/serve.lock");
    if (Files.exists(lock)) {
      try {
        ProcessHandle.of(Long.parseLong(Files.readString(lock).strip()))
            .filter(p -> p.info().commandLine().orElse("").contains("dev.arbiter.cli.Main"))
            .filter(p -> !seen.contains(p))
            .ifPresent(seen::add);
      } catch (NumberFormatException | IOException e) {
        // no lock holder to stop
      }
    }
    bash.destroy();
    List<ProcessHandle> jvms =
        seen.stream()
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().commandLine().orElse("").contains("dev.arbiter.cli.Main"))
            .toList();
    jvms.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    for (ProcessHandle jvm : jvms) {
      while (jvm.isAlive() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    bash.destroyForcibly();
    bash.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * The script: each block between two marker lines; bash's EXIT trap stops the jobs still running
   * (a server started with {@code &}), waits for them and prints the CPU time used ({@code times}).
   */
  static String script(List<ReadmeBlocks.Block> blocks) {
    StringBuilder script = new StringBuilder();
    script.append("trap 'set +e; kill $(jobs -p) 2>/dev/null; wait; times' EXIT\n");
    for (int i = 0; i < blocks.size(); i++) {
      script.append("printf '\\n%s\\n' '").append(MARK).append(i).append(" start'\n");
      script.append("# ").append(blocks.get(i).title()).append('\n');
      script.append(blocks.get(i).text());
      script.append("printf '\\n%s\\n' '").append(MARK).append(i).append(" end'\n");
    }
    return script.toString();
  }

  private static List<Integer> started(String output) {
    return markers(output, "start");
  }

  private static List<Integer> ended(String output) {
    return markers(output, "end");
  }

  private static List<Integer> markers(String output, String kind) {
    List<Integer> found = new ArrayList<>();
    for (String line : output.split("\n")) {
      Matcher marker = MARKER.matcher(line);
      if (marker.matches() && marker.group(2).equals(kind)) {
        found.add(Integer.parseInt(marker.group(1)));
      }
    }
    return found;
  }

  /** The output from block {@code index}'s start marker on (the rest of the run). */
  private static String blockOutput(String output, int index) {
    int at = output.indexOf(MARK + index + " start");
    return at < 0 ? output : output.substring(at);
  }

  /**
   * {@code ./arbiter} for the blocks: this build's classes (the test JVM's class path without the
   * test classes) with the launcher's JVM options, and {@code serve} on a free port.
   */
  private static void writeWrapper(Path wrapper, Path tmp, int port) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.endsWith("test-classes"))
            .reduce((a, b) -> a + File.pathSeparator + b)
            .orElseThrow();
    String text =
        """
        #!/usr/bin/env bash
        # ./arbiter for ReadmeFlowsTest: this build's classes; 'serve' gets the test's free port
        java='%s'
        cp='%s'
        opts=(--enable-native-access=ALL-UNNAMED -Djava.io.tmpdir='%s')
        if [[ "${1:-}" == serve ]]; then
          shift
          exec "$java" "${opts[@]}" -Xmx512m -cp "$cp" dev.arbiter.cli.Main serve --port %d "$@"
        fi
        exec "$java" "${opts[@]}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp" \\
          dev.arbiter.cli.Main "$@"
        """
            .formatted(java, classPath, tmp, port);
    Files.writeString(wrapper, text, UTF_8);
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Every entry the flows left in the working directory is ignored by the repository's .gitignore
   * (checked with {@code git check-ignore} when the repository is a git checkout).
   */
  private static void assertIgnored(Path root, Path dir) throws Exception {
    if (!Files.exists(root.resolve(".git"))) {
      System.out.println("ReadmeFlowsTest: not a git checkout, .gitignore not checked");
      return;
    }
    Map<String, Boolean> ignored = new LinkedHashMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (name.equals("arbiter")) {
          continue; // the launcher itself, tracked in the repository
        }
        String path = Files.isDirectory(entry) ? name + "/" : name;
        Process check =
            new ProcessBuilder("git", "check-ignore", "-q", "--no-index", path)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
        check.getInputStream().readAllBytes();
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        ignored.put(path, check.exitValue() == 0);
      }
    }
    assertThat(ignored)
        .as("files the README flows create, each covered by .gitignore (true)")
        .doesNotContainValue(false);
  }
}
