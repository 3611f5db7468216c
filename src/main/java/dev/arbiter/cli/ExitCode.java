// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

/** The CLI's exit codes (fixed by CONTRACTS.md). */
public final class ExitCode {
  public static final int OK = 0;

  /** Refused, or verification failed. */
  public static final int REFUSED = 1;

  /** Usage or I/O error. */
  public static final int USAGE = 2;

  private ExitCode() {}
}
