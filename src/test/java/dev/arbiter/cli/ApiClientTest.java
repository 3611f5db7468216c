// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The CLI stops its HTTP clients before exiting: a selector thread left waiting in native code
 * makes HotSpot's exit wait 300 ms (a third of a client call, docs/benchmarks.md "CLI start-up").
 */
class ApiClientTest {

  private static Set<Thread> selectorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("HttpClient-"))
        .collect(Collectors.toSet());
  }

  @Test
  void closeAll_stopsTheSelectorThreadOfEveryClientACommandOpened() throws Exception {
    String dataDir = TestServer.shared().dataDir().toString(); // the server's own clients first
    Set<Thread> before = selectorThreads();
    CliRun run = CliRun.of("workload", "list", "--data-dir", dataDir);
    assertThat(run.exitCode()).as(run.err()).isZero();
    Set<Thread> opened = selectorThreads();
    opened.removeAll(before);
    assertThat(opened).as("the command's client runs a selector thread").isNotEmpty();

    ApiClient.closeAll();

    for (Thread thread : opened) {
      thread.join(2_000);
      assertThat(thread.isAlive()).as(thread.getName()).isFalse();
    }
  }
}
