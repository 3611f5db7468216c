// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code -} for standard input, the problem document on stdout for {@code --json} refusals, typo
 * suggestions and shell completion.
 */
class CliErgonomicsTest {

  private static CliRun withStdin(String input, String... args) {
    InputStream previous = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return CliRun.of(args);
    } finally {
      System.setIn(previous);
    }
  }

  private static String dataDir() {
    return TestServer.shared().dataDir().toString();
  }

  @Test
  void dash_readsTheFileFromStandardInput() {
    String objectives = "{\"critical\": {\"deadline\": \"PT72H\", \"on_deadline\": \"escalate\"}}";
    CliRun created =
        withStdin(
            objectives,
            "workload",
            "create",
            "stdin-objectives",
            "--objectives",
            "-",
            "--data-dir",
            dataDir(),
            "--json");

    assertThat(created.exitCode()).as(created.err()).isZero();
    CliRun shown =
        CliRun.of("workload", "show", "stdin-objectives", "--data-dir", dataDir(), "--json");
    assertThat(shown.json().path("objectives").path("critical").path("deadline").asText())
        .isEqualTo("PT72H");
  }

  @Test
  void dash_notJson_namesStandardInput() {
    CliRun run =
        withStdin(
            "not json",
            "workload",
            "set-objectives",
            "--workload",
            "stdin-objectives",
            "--file",
            "-",
            "--reason",
            "test",
            "--data-dir",
            dataDir());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("arbiter: standard input is not valid JSON");
  }

  @Test
  void jsonRefusal_printsTheProblemDocumentOnStdout_exitCodeUnchanged() {
    CliRun run =
        CliRun.of("workload", "show", "no-such-workload", "--data-dir", dataDir(), "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.json().path("type").asText()).startsWith("urn:arbiter:problem:");
    assertThat(run.json().path("status").asInt()).isEqualTo(404);
    assertThat(run.err()).startsWith("arbiter: ").doesNotContain("\tat ");

    CliRun text = CliRun.of("workload", "show", "no-such-workload", "--data-dir", dataDir());
    assertThat(text.exitCode()).isEqualTo(1);
    assertThat(text.out()).isEmpty();
  }

  @Test
  void typo_suggestsTheNearestCommand() {
    CliRun run = CliRun.of("workload", "lst");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Did you mean: arbiter workload list");

    CliRun top = CliRun.of("rolout");
    assertThat(top.err()).contains("arbiter rollout");
  }

  @Test
  void completion_bashAndZsh_coverTheCommands() {
    CliRun bash = CliRun.of("completion", "bash");
    CliRun zsh = CliRun.of("completion", "zsh");
    CliRun fish = CliRun.of("completion", "fish");

    assertThat(bash.exitCode()).isZero();
    assertThat(bash.out())
        .contains("complete -F _complete_arbiter")
        .contains("workload")
        .contains("issue-cert");
    assertThat(zsh.out()).contains("bashcompinit").contains("_complete_arbiter");
    assertThat(fish.exitCode()).isEqualTo(2);
  }
}
