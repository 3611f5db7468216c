// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
    })
public final class Main implements Runnable {
  /**
   * The top-level commands by name, in the order help lists them. Picocli builds a command's model
   * (reflection over its options, an instance, its class initialisation) when it is added, so a
   * call names one of these and only that one is added ({@link #commandLine(String...)}); the names
   * must equal each class's {@code @Command(name)} (MainTest checks).
   */
  static final Map<String, Class<?>> COMMANDS = commands();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    java.util.logging.LogManager.getLogManager().reset();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    int status = run(args);
    ApiClient.closeAll();
    System.exit(status);
  }

  /** Runs the CLI and returns its exit code (used by tests without exiting the JVM). */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  /** A fresh command line with every command, for in-process tests. */
  public static CommandLine commandLineForTests() {
    return commandLine();
  }

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> commands = new LinkedHashMap<>();
    commands.put("serve", ServeCommand.class);
    commands.put("workload", WorkloadCommand.class);
    commands.put("version", VersionCommand.class);
    commands.put("policy", PolicyCommand.class);
    commands.put("audit", AuditCommand.class);
    commands.put("admin", AdminCommand.class);
    commands.put("challenge", ChallengeCommand.class);
    commands.put("attest", AttestCommand.class);
    commands.put("sample-tee", SampleTeeCommand.class);
    commands.put("result", ResultCommand.class);
    commands.put("evidence", EvidenceCommand.class);
    commands.put("sbom", SbomCommand.class);
    commands.put("provenance", ProvenanceCommand.class);
    commands.put("advisories", AdvisoriesCommand.class);
    commands.put("secret", SecretCommand.class);
    commands.put("rollout", RolloutCommand.class);
    commands.put("collateral", CollateralCommand.class);
    commands.put("log", LogCommand.class);
    commands.put("context", ContextCommand.class);
    commands.put("completion", CompletionCommand.class);
    commands.put("governance", GovernanceCommand.class);
    commands.put("decisions", DecisionsCommand.class);
    return Collections.unmodifiableMap(commands);
  }

  /**
   * The command line for {@code args}: when the first argument names a command, only that command
   * (so a client call never initialises the server's or the evidence schemes' classes); otherwise
   * (no command, an option first, {@code help}, a typo that needs suggestions) every command.
   */
  static CommandLine commandLine(String... args) {
    String first = args.length == 0 ? null : args[0];
    return first != null && COMMANDS.containsKey(first)
        ? configure(new CommandLine(new Main()).addSubcommand(first, COMMANDS.get(first)))
        : commandLine();
  }

  /** The command line with every command. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    COMMANDS.forEach(commandLine::addSubcommand);
    commandLine.addSubcommand("help", CommandLine.HelpCommand.class);
    return configure(commandLine);
  }

  private static CommandLine configure(CommandLine commandLine) {
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
