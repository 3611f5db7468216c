// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.testing.CliRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A call builds only the command it names ({@link Main#commandLine(String...)}), and that command
 * line behaves like the full one.
 */
class MainTest {
  @Test
  void commandNames_matchEachClassesCommandAnnotation() {
    Main.COMMANDS.forEach((name, type) ->
        assertThat(type.getAnnotation(Command.class).name()).as(type.getName()).isEqualTo(name));
    List<String> full = new ArrayList<>(Main.commandLine().getSubcommands().keySet());
    assertThat(full).containsExactlyElementsOf(withHelp(Main.COMMANDS.keySet()));
  }

  @Test
  void namedCommand_buildsOnlyThatCommand() {
    assertThat(Main.commandLine("workload", "list").getSubcommands()).containsOnlyKeys("workload");
    assertThat(Main.commandLine("serve", "--help").getSubcommands()).containsOnlyKeys("serve");
  }

  @Test
  void noCommandOptionFirstHelpOrTypo_buildEveryCommand() {
    int all = Main.COMMANDS.size() + 1;
    assertThat(Main.commandLine().getSubcommands()).hasSize(all);
    assertThat(Main.commandLine("--help").getSubcommands()).hasSize(all);
    assertThat(Main.commandLine("help", "workload").getSubcommands()).hasSize(all);
    assertThat(Main.commandLine("wrkload").getSubcommands()).hasSize(all);
  }

  @Test
  void leanCommandLine_printsTheSameHelpAndErrorsAsTheFullOne() {
    for (String[] args :
        List.of(
            new String[] {"workload", "--help"},
            new String[] {"workload", "lst"},
            new String[] {"policy", "show", "--help"})) {
      CliRun full = CliRun.of(args);
      CliRun lean = run(Main.commandLine(args), args);
      assertThat(lean).as(String.join(" ", args)).isEqualTo(full);
    }
  }

  private static CliRun run(CommandLine commandLine, String... args) {
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    commandLine.setOut(new java.io.PrintWriter(out, true));
    commandLine.setErr(new java.io.PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  private static List<String> withHelp(java.util.Collection<String> names) {
    List<String> all = new ArrayList<>(names);
    all.add("help");
    return all;
  }
}
