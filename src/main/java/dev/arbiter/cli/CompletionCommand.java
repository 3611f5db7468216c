// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code arbiter completion bash|zsh}: prints a shell completion script. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a shell completion script for bash or zsh.",
      "bash: source <(arbiter completion bash)   (or save it in"
          + " /etc/bash_completion.d/arbiter)",
      "zsh:  source <(arbiter completion zsh)"
    })
final class CompletionCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  String shell;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw CliException.usage("SHELL must be bash or zsh, not " + shell);
    }
    CommandLine root = spec.root().commandLine();
    String script = AutoComplete.bash("arbiter", root);
    if (shell.equals("zsh")) {
      // the picocli script runs under zsh through bashcompinit
      script =
          "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
              + script;
    }
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }
}
