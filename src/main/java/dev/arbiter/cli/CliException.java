// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

/** Ends a command with a one-line message and an exit code. */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
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
