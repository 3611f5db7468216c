// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.internal.Json;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints a server answer as JSON ({@code --json}) or as the command's human summary. */
final class Printer {
  private Printer() {}

  static void print(PrintWriter out, boolean json, JsonNode body, Consumer<JsonNode> human) {
    if (json) {
      out.println(Json.writePretty(body));
    } else {
      human.accept(body);
    }
    out.flush();
  }
}
