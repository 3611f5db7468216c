// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark-only switch that leaves decisions out of the transparency log (to measure what the
 * log costs, issue 11) is refused on a production server, and every server states in /metrics
 * whether decisions are logged.
 */
class BenchmarkLogSwitchTest {

  /** {@code serve} without {@code --dev} and the benchmark property: a usage error naming both. */
  private static void assertRefusedWithoutDev(String property, String value, Path dataDir) {
    CliRun run =
        serveWith(property, value, "serve", "--data-dir", dataDir.toString(), "--port", "0");
    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains(property).contains("--dev");
  }

  /** {@code serve args} run with the JVM property {@code property=value} set for the call. */
  private static CliRun serveWith(String property, String value, String... args) {
    System.setProperty(property, value);
    try {
      return CliRun.of(args);
    } finally {
      System.clearProperty(property);
    }
  }

  @Test
  void unloggedDecisions_withoutDev_isRefusedBeforeAnythingStarts(@TempDir Path dataDir) {
    assertRefusedWithoutDev(ServeCommand.UNLOGGED_DECISIONS_PROPERTY, "true", dataDir);
    assertThat(dataDir.resolve("postgres")).doesNotExist();
  }

  @Test
  void alternateLogSeconds_withoutDev_orNotAPositiveNumber_isRefused(@TempDir Path dataDir) {
    String property = ServeCommand.ALTERNATE_LOG_PROPERTY;
    assertRefusedWithoutDev(property, "5", dataDir);
    CliRun zero =
        serveWith(property, "0", "serve", "--dev", "--data-dir", dataDir.toString(), "--port", "0");
    assertThat(zero.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(zero.err()).contains(property).contains(">= 1");
    assertThat(dataDir.resolve("postgres")).doesNotExist();
  }

  @Test
  void metrics_sayDecisionsAreRecorded() {
    String metrics = TestServer.shared().anonymous().get("/metrics").text();
    assertThat(metrics).contains("arbiter_log_decisions_recorded 1");
  }
}
