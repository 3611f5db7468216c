// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code arbiter collateral import|list}. */
@Command(name = "collateral", mixinStandardHelpOptions = true, description = "Import and inspect stored collateral.",
    subcommands = {CollateralCommand.Import.class, CollateralCommand.ListCollateral.class})
final class CollateralCommand {

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Import Intel TCB Info / QE Identity / CRLs, NVIDIA RIMs, ... (files or directories); checked against pinned roots, all or nothing (operator).")
  static final class Import implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH") List<Path> paths;
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<Map<String, String>> files = new ArrayList<>();
      for (Path root : paths) {
        for (Path file : Inputs.expand(root)) {
          files.add(Map.of("name", file.getFileName().toString(), "data", Base64.getEncoder().encodeToString(Inputs.read(file))));
        }
      }
      JsonNode result = client.client().post("/v1/collateral", Map.of("files", files));
      Printer.print(spec.commandLine().getOut(), client.json(), result, r -> {
        spec.commandLine().getOut().println("imported " + r.path("stored").size() + " new file(s) of " + files.size());
        r.path("stored").forEach(e -> spec.commandLine().getOut().println("  " + e.path("format").asText() + " " + e.path("kind").asText() + " "
            + e.path("key").asText() + " next update " + e.path("next_update").asText("-")));
      });
      return ExitCode.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Stored collateral with next-update times; EXPIRED marks stale files.")
  static final class ListCollateral implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode result = client.client().get("/v1/collateral");
      Printer.print(spec.commandLine().getOut(), client.json(), result, r -> r.path("collateral").forEach(e -> spec.commandLine().getOut().printf(
          "%-10s %-12s %-40s next update %s%s%n", e.path("format").asText(), e.path("kind").asText(), e.path("key").asText(),
          e.path("next_update").asText("-"), e.path("expired").asBoolean() ? " EXPIRED" : "")));
      return ExitCode.OK;
    }
  }
}
