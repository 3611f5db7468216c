// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

/** Ends a command with a one-line message and an exit code. */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  private final transient com.fasterxml.jackson.databind.JsonNode problem;
  private final boolean transientFailure;

  public CliException(int exitCode, String message) {
    this(exitCode, message, null);
  }

  /** A refusal that carries the server's problem document ({@code --json} prints it on stdout). */
  public CliException(
      int exitCode, String message, com.fasterxml.jackson.databind.JsonNode problem) {
    this(exitCode, message, problem, false);
  }

  private CliException(
      int exitCode,
      String message,
      com.fasterxml.jackson.databind.JsonNode problem,
      boolean transientFailure) {
    super(message, null, false, false);
    this.exitCode = exitCode;
    this.problem = problem;
    this.transientFailure = transientFailure;
  }

  /**
   * The server could not be reached or answered 502, 503 or 504 (a failover, a restart, shed load):
   * the same call may succeed later. Exit code {@link ExitCode#USAGE}, as other server and
   * transport errors.
   */
  static CliException unavailable(String message, com.fasterxml.jackson.databind.JsonNode problem) {
    return new CliException(ExitCode.USAGE, message, problem, true);
  }

  /** Whether a later retry of the same call may succeed ({@link #unavailable}). */
  public boolean isTransient() {
    return transientFailure;
  }

  /** The server's problem document, when the server refused the call with one. */
  public java.util.Optional<com.fasterxml.jackson.databind.JsonNode> problem() {
    return java.util.Optional.ofNullable(problem);
  }

  public static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }

  public static CliException refused(String message) {
    return new CliException(ExitCode.REFUSED, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
