// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollout wait} outlasts a failover: an unreachable server (or a 502/503/504) is retried
 * until the timeout instead of ending the wait at once (issue 15 item 2).
 */
class RolloutWaitRetryTest {

  @Test
  void wait_unreachableServer_retriesUntilTheTimeoutThenSaysWhy() {
    Path dataDir = TestServer.shared().dataDir();
    long start = System.nanoTime();
    CliRun run =
        CliRun.of(
            "rollout",
            "wait",
            "--workload",
            "payments",
            "--state",
            "STAGED",
            "--timeout",
            "PT2S",
            "--data-dir",
            dataDir.toString(),
            "--server",
            "https://127.0.0.1:1");
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("retrying until the timeout").contains("cannot connect");
    assertThat(elapsedMillis)
        .as("kept retrying until the 2 s timeout")
        .isGreaterThanOrEqualTo(1900);
  }

  @Test
  void wait_serverCertificateNotTrusted_failsAtOnceWithoutRetrying(@TempDir Path other)
      throws Exception {
    // a CA that did not issue the server's certificate: a handshake failure, not a failover
    dev.arbiter.auth.DataDir foreign = new dev.arbiter.auth.DataDir(other);
    dev.arbiter.auth.LocalCa.loadOrCreate(foreign, java.time.Clock.systemUTC());
    Path foreignCa = foreign.caCertificate();
    Path dataDir = TestServer.shared().dataDir();
    CliRun run =
        CliRun.of(
            "rollout",
            "wait",
            "--workload",
            "payments",
            "--state",
            "STAGED",
            "--timeout",
            "PT30S",
            "--data-dir",
            dataDir.toString(),
            "--cacert",
            foreignCa.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("TLS with").doesNotContain("retrying");
  }

  @Test
  void transientFailures_areConnectionErrorsAndGatewayOrUnavailableAnswers() {
    assertThat(CliException.unavailable("503", null).isTransient()).isTrue();
    assertThat(CliException.usage("bad flag").isTransient()).isFalse();
    assertThat(CliException.refused("409").isTransient()).isFalse();
  }
}
