// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/** Runs the CLI in-process and captures its exit code and output. */
public record CliRun(int exitCode, String out, String err) {
  public static CliRun of(String... args) {
    CommandLine commandLine = dev.arbiter.cli.Main.commandLineForTests();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  public JsonNode json() {
    try {
      return Json.readTree(out);
    } catch (IOException e) {
      throw new UncheckedIOException("CLI output is not JSON: " + out + err, e);
    }
  }
}
