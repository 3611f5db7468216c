// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.problem.ProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Maps every failure to one line on stderr and the contract's exit code; no stack traces. */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parsed) {
    if (System.getenv("ARBITER_DEBUG") != null) {
      exception.printStackTrace(commandLine.getErr());
    }
    var err = commandLine.getErr();
    if (exception instanceof CliException cli) {
      if (cli.problem().isPresent() && wantsJson(commandLine)) {
        commandLine.getOut().println(dev.arbiter.internal.Json.writePretty(cli.problem().get()));
        commandLine.getOut().flush();
      }
      err.println("arbiter: " + cli.getMessage());
      return cli.exitCode();
    }
    if (exception instanceof ProblemException problem) {
      err.println(
          "arbiter: " + problem.problem().type().slug() + ": " + problem.problem().detail());
      return problem.problem().type().status() >= 500 ? ExitCode.USAGE : ExitCode.REFUSED;
    }
    if (exception instanceof IOException || exception instanceof UncheckedIOException) {
      err.println("arbiter: I/O error: " + oneLine(exception.getMessage()));
      return ExitCode.USAGE;
    }
    err.println(
        "arbiter: internal error: "
            + exception.getClass().getSimpleName()
            + ": "
            + oneLine(exception.getMessage()));
    return ExitCode.USAGE;
  }

  /** Whether the command that failed was given {@code --json}. */
  private static boolean wantsJson(CommandLine commandLine) {
    ParseResult result = commandLine.getParseResult();
    return result != null && result.hasMatchedOption("--json");
  }

  static int usage(CommandLine.ParameterException exception, String[] args) {
    var err = exception.getCommandLine().getErr();
    err.println("arbiter: " + oneLine(exception.getMessage()));
    if (exception instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getSuggestions().isEmpty()) {
      err.println(
          "Did you mean: "
              + String.join(
                  " or ",
                  unmatched.getSuggestions().stream()
                      .limit(3)
                      .map(s ->
                          exception.getCommandLine().getCommandSpec().qualifiedName() + " " + s)
                      .toList())
              + "?");
    }
    err.println(
        "Try '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
    return ExitCode.USAGE;
  }

  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s+", " ").strip();
  }
}
