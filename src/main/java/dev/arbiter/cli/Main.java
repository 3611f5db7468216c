// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code arbiter} command. Exit codes: 0 ok, 1 refused or verification failed, 2 usage or I/O
 * error. Errors are one line on stderr, never a stack trace (set {@code ARBITER_DEBUG=1} to see
 * one).
 */
@Command(
    name = "arbiter",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Arbiter: a governed RATS Verifier for confidential workloads.",
      "Wherever a command reads a FILE, '-' reads standard input."
    },
    subcommands = {
      ServeCommand.class,
      WorkloadCommand.class,
      VersionCommand.class,
      PolicyCommand.class,
      AuditCommand.class,
      AdminCommand.class,
      ChallengeCommand.class,
      AttestCommand.class,
      SampleTeeCommand.class,
      ResultCommand.class,
      EvidenceCommand.class,
      SbomCommand.class,
      ProvenanceCommand.class,
      AdvisoriesCommand.class,
      SecretCommand.class,
      RolloutCommand.class,
      CollateralCommand.class,
      LogCommand.class,
      ContextCommand.class,
      CompletionCommand.class,
      GovernanceCommand.class,
      DecisionsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    java.util.logging.LogManager.getLogManager().reset();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (used by tests without exiting the JVM). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** A fresh command line for in-process tests. */
  public static CommandLine commandLineForTests() {
    return commandLine();
  }

  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(new ErrorHandler());
    commandLine.setParameterExceptionHandler(ErrorHandler::usage);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionStrategy(parsed -> {
      Inputs.resetStdin();
      return new CommandLine.RunLast().execute(parsed);
    });
    return commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
