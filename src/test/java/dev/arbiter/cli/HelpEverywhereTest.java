// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.CliRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers {@code --help} with its usage and exit 0. */
class HelpEverywhereTest {
  @Test
  void help_onEveryCommand_printsUsageAndExitsZero() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLineForTests(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(40);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exitCode())
          .as("arbiter %s --help: %s", String.join(" ", path), run.err())
          .isZero();
      assertThat(run.out()).as(String.join(" ", path)).contains("Usage: arbiter");
    }
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    command
        .getSubcommands()
        .forEach((name, sub) -> {
          if (name.equals("help") || !sub.getCommandName().equals(name)) {
            return;
          }
          List<String> next = new ArrayList<>(path);
          next.add(name);
          collect(sub, next, out);
        });
  }
}
