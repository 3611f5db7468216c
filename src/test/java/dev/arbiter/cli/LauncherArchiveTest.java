// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./arbiter} launcher's class archive: recorded by the first successful client call,
 * used by later ones, replaced when the jar changes, never built from a failed call or from {@code
 * version}/{@code --help}, AppCDS before JDK 25. Runs the real script (copied with {@code
 * scripts/find-jdk.sh}) against a fake JDK whose {@code java} logs its arguments and writes the
 * files a real JVM would write; {@code ARBITER_AOT_SYNC=1} makes the archive ready on return.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherArchiveTest {
  private static final String FAKE_JAVA =
      """
      #!/usr/bin/env bash
      # logs one line per call, writes what the JVM would write, exits with $FAKE_EXIT for app runs
      echo "$*" >> "$FAKE_LOG"
      app=0
      for arg in "$@"; do
        case "$arg" in
          -XX:AOTConfiguration=*) conf="${arg#*=}" ;;
          -XX:AOTCache=*) cache="${arg#*=}" ;;
          -XX:ArchiveClassesAtExit=*) echo jsa > "${arg#*=}" ;;
          -XX:AOTMode=create) create=1 ;;
          workload | evidence) app=1 ;;
        esac
      done
      if [[ -n "${create:-}" ]]; then echo aot > "$cache"; exit 0; fi
      if [[ -n "${conf:-}" ]]; then echo conf > "$conf"; fi
      [[ "$app" == 1 ]] && exit "${FAKE_EXIT:-0}"
      exit 0
      """;

  @TempDir Path root;
  private Path log;
  private Path jar;

  @BeforeEach
  void layout() throws IOException {
    Path repo = RepoPaths.root();
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(repo.resolve("arbiter"), root.resolve("arbiter"));
    Files.copy(repo.resolve("scripts/find-jdk.sh"), root.resolve("scripts/find-jdk.sh"));
    Files.createDirectories(root.resolve("target/lib"));
    jar = root.resolve("target/arbiter.jar");
    Files.writeString(jar, "jar v1");
    log = root.resolve("java.log");
    jdk("25.0.1");
  }

  private void jdk(String version) throws IOException {
    Path bin = Files.createDirectories(root.resolve("jdk/bin"));
    Files.writeString(root.resolve("jdk/release"), "JAVA_VERSION=\"" + version + "\"\n");
    for (String tool : List.of("java", "javac")) {
      Path file = bin.resolve(tool);
      Files.writeString(file, FAKE_JAVA, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void firstSuccessfulCall_recordsTheCache_laterCallsUseIt() throws Exception {
    assertThat(run(Map.of(), "workload", "list")).isZero();
    List<String> first = calls();
    assertThat(first).hasSize(2);
    assertThat(first.get(0)).contains("-XX:AOTMode=record", "-jar", "workload list");
    assertThat(first.get(1)).contains("-XX:AOTMode=create");
    Path cache = single(archives());
    assertThat(cache.getFileName().toString()).matches("arbiter-\\d+\\.aot");

    assertThat(run(Map.of(), "workload", "list")).isZero();
    assertThat(calls().get(2))
        .contains("-XX:AOTCache=" + cache, "-XX:TieredStopAtLevel=1")
        .doesNotContain("AOTMode");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void serve_startsZgcWithAGigabyteHeap_unlessTheOperatorSizedTheHeap() throws Exception {
    Map<String, String> twoCpus = Map.of("ARBITER_CPUS", "2");
    assertThat(run(twoCpus, "serve", "--port", "0")).isZero();
    assertThat(calls().get(0))
        .contains("-XX:+UseZGC", "-Xms1g", "-Xmx1g")
        .doesNotContain("AOT", "Serial", "-Xmn", "MaxTenuringThreshold", "NewRatio");

    // deploy/ha gives each replica -Xmx768m: -Xms1g with it would stop the JVM from starting
    assertThat(
            run(
                Map.of("ARBITER_CPUS", "2", "ARBITER_JAVA_OPTS", "-Xmx768m"),
                "serve",
                "--port",
                "0"))
        .isZero();
    assertThat(calls().get(1))
        .contains("-XX:+UseZGC", "-Xmx768m")
        .doesNotContain("-Xms1g", "-Xmx1g");

    assertThat(run(Map.of("ARBITER_JAVA_OPTS", "-XX:+UseG1GC"), "serve")).isZero();
    assertThat(calls().get(2)).contains("-XX:+UseG1GC").doesNotContain("ZGC", "Serial", "-Xms1g");
  }

  @Test
  void serve_compilesWithC2Sooner_unlessTheOperatorScalesTheThresholds() throws Exception {
    assertThat(run(Map.of(), "serve", "--port", "0")).isZero();
    assertThat(calls().get(0)).contains("-XX:CompileThresholdScaling=0.2");

    assertThat(run(Map.of("ARBITER_JAVA_OPTS", "-XX:CompileThresholdScaling=1"), "serve")).isZero();
    assertThat(calls().get(1))
        .contains("-XX:CompileThresholdScaling=1")
        .doesNotContain("-XX:CompileThresholdScaling=0.2");

    assertThat(run(Map.of(), "workload", "list")).isZero();
    assertThat(calls().get(2)).doesNotContain("CompileThresholdScaling");
  }

  @Test
  void serve_onOneCpu_startsSerialWithALargeYoungGeneration_promotingAfterFourCollections()
      throws Exception {
    assertThat(run(Map.of("ARBITER_CPUS", "1"), "serve", "--port", "0")).isZero();
    assertThat(calls().get(0))
        .contains("-XX:+UseSerialGC", "-Xmn768m", "-XX:MaxTenuringThreshold=4", "-Xms1g", "-Xmx1g")
        .doesNotContain("ZGC");

    // an operator's young generation or tenuring threshold wins
    assertThat(
            run(
                Map.of(
                    "ARBITER_CPUS", "1", "ARBITER_JAVA_OPTS", "-Xmn32m -XX:MaxTenuringThreshold=6"),
                "serve"))
        .isZero();
    assertThat(calls().get(1))
        .contains("-XX:+UseSerialGC", "-Xmn32m", "-XX:MaxTenuringThreshold=6")
        .doesNotContain("-Xmn768m", "-XX:MaxTenuringThreshold=4");

    // a heap the operator sized: half of it young (768 MiB could be all of a small heap)
    assertThat(run(Map.of("ARBITER_CPUS", "1", "ARBITER_JAVA_OPTS", "-Xmx512m"), "serve")).isZero();
    assertThat(calls().get(2))
        .contains("-XX:+UseSerialGC", "-XX:NewRatio=1", "-Xmx512m")
        .doesNotContain("-Xmn", "-Xms1g");

    // pinned to one core by its affinity mask, as bench/attest-load pins the server
    if (Files.isExecutable(Path.of("/usr/bin/taskset"))) {
      assertThat(run(Map.of(), List.of("taskset", "-c", "0"), "serve")).isZero();
      assertThat(calls().get(3)).contains("-XX:+UseSerialGC", "-Xmn768m");
    }
  }

  @Test
  void changedJar_getsANewCache_andTheOldOneIsDeleted() throws Exception {
    run(Map.of(), "workload", "list");
    Path old = single(archives());

    Files.writeString(jar, "jar v2, rebuilt");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    assertThat(run(Map.of(), "workload", "list")).isZero();

    assertThat(calls().get(2)).contains("-XX:AOTMode=record").doesNotContain("-XX:AOTCache=" + old);
    Path fresh = single(archives());
    assertThat(fresh).isNotEqualTo(old);
    run(Map.of(), "workload", "list");
    assertThat(calls().get(4)).contains("-XX:AOTCache=" + fresh);
  }

  @Test
  void failedCall_publishesNoCache_andKeepsItsExitCode() throws Exception {
    assertThat(run(Map.of("FAKE_EXIT", "1"), "workload", "list")).isEqualTo(1);

    assertThat(calls()).hasSize(1);
    assertThat(archives()).isEmpty();
    assertThat(leftovers()).isEmpty();
    run(Map.of(), "workload", "list");
    assertThat(calls().get(1)).contains("-XX:AOTMode=record");
  }

  @Test
  void versionHelpAndServe_neverRecord() throws Exception {
    run(Map.of(), "version");
    run(Map.of(), "workload", "list", "--help");
    run(Map.of(), "serve", "--port", "0");

    assertThat(calls()).hasSize(3).noneMatch(c -> c.contains("AOT") || c.contains("Archive"));
    assertThat(calls().get(2)).doesNotContain("TieredStopAtLevel");
    assertThat(archives()).isEmpty();
  }

  @Test
  void jdkBefore25_usesADynamicAppCdsArchive() throws Exception {
    jdk("21.0.5");
    run(Map.of(), "evidence", "verify");
    Path archive = single(archives());
    assertThat(archive.getFileName().toString()).endsWith(".jsa");
    assertThat(calls().get(0)).contains("-XX:ArchiveClassesAtExit=");

    run(Map.of(), "evidence", "verify");
    assertThat(calls().get(1)).contains("-XX:SharedArchiveFile=" + archive);
  }

  @Test
  void aotOff_runsWithoutAnyArchive() throws Exception {
    run(Map.of("ARBITER_AOT", "0"), "workload", "list");
    assertThat(calls()).singleElement().satisfies(c -> assertThat(c).doesNotContain("-XX:AOT"));
    assertThat(archives()).isEmpty();
  }

  private int run(Map<String, String> env, String... args) throws Exception {
    return run(env, List.of(), args);
  }

  private int run(Map<String, String> env, List<String> prefix, String... args) throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of("bash", root.resolve("arbiter").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(root.resolve("out.txt").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("ARBITER_"));
    builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    builder.environment().put("FAKE_LOG", log.toString());
    builder.environment().put("ARBITER_AOT_SYNC", "1");
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  private List<String> calls() throws IOException {
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private List<Path> archives() throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("target"))) {
      return files
          .filter(f -> f.getFileName().toString().matches("arbiter-\\d+\\.(aot|jsa)"))
          .toList();
    }
  }

  /** Temporary files, configurations and locks a finished call must not leave behind. */
  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("target"))) {
      return files
          .filter(f -> f.getFileName().toString().matches("arbiter-\\d+\\.(aot|jsa)\\..+"))
          .toList();
    }
  }

  private static Path single(List<Path> paths) {
    assertThat(paths).hasSize(1);
    return paths.get(0);
  }
}
