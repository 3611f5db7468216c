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
@Command(
    name = "collateral",
    mixinStandardHelpOptions = true,
    description = "Import and inspect stored collateral.",
    subcommands = {
      CollateralCommand.Import.class,
      CollateralCommand.Fetch.class,
      CollateralCommand.ListCollateral.class
    })
final class CollateralCommand {

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Import Intel TCB Info / QE Identity / CRLs, NVIDIA RIMs, ... (files or directories);"
              + " checked against pinned roots, all or nothing (operator).")
  static final class Import implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH")
    List<Path> paths;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<Map<String, String>> files = new ArrayList<>();
      for (Path root : paths) {
        for (Path file : Inputs.expand(root)) {
          files.add(
              Map.of(
                  "name",
                  file.getFileName().toString(),
                  "data",
                  Base64.getEncoder().encodeToString(Inputs.read(file))));
        }
      }
      JsonNode result = client.client().post("/v1/collateral", Map.of("files", files));
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          result,
          r -> {
            spec.commandLine()
                .getOut()
                .println("imported " + r.path("stored").size() + " new file(s) of " + files.size());
            r.path("stored")
                .forEach(e ->
                    spec.commandLine()
                        .getOut()
                        .println(
                            "  "
                                + e.path("format").asText()
                                + " "
                                + e.path("kind").asText()
                                + " "
                                + e.path("key").asText()
                                + " next update "
                                + e.path("next_update").asText("-")));
          });
      return ExitCode.OK;
    }
  }

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description =
          "Download collateral from Intel PCS, AMD KDS or NVIDIA's RIM service and import it"
              + " (checked by the server against the pinned roots). Optional: Arbiter never"
              + " downloads anything unless this is run (operator).")
  static final class Fetch implements Callable<Integer> {
    @picocli.CommandLine.Option(
        names = "--intel-fmspc",
        description = "FMSPC (hex) whose TCB Info to fetch from Intel PCS; repeatable.")
    List<String> fmspcs = new ArrayList<>();

    @picocli.CommandLine.Option(
        names = "--amd-product",
        description = "milan, genoa or turin: fetch AMD's CRL; repeatable.")
    List<String> products = new ArrayList<>();

    @picocli.CommandLine.Option(
        names = "--nvidia-rim",
        description = "RIM id to fetch from NVIDIA's RIM service; repeatable.")
    List<String> rims = new ArrayList<>();

    @picocli.CommandLine.Option(names = "--intel-pcs-url", defaultValue = CollateralFetch.INTEL_PCS)
    String intelUrl;

    @picocli.CommandLine.Option(names = "--amd-kds-url", defaultValue = CollateralFetch.AMD_KDS)
    String amdUrl;

    @picocli.CommandLine.Option(
        names = "--nvidia-rim-url",
        defaultValue = CollateralFetch.NVIDIA_RIM)
    String nvidiaUrl;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (fmspcs.isEmpty() && products.isEmpty() && rims.isEmpty()) {
        throw CliException.usage(
            "name what to fetch: --intel-fmspc, --amd-product or --nvidia-rim");
      }
      CollateralFetch fetch = new CollateralFetch();
      List<dev.arbiter.evidence.EvidenceInput.Collateral> files = new ArrayList<>();
      if (!fmspcs.isEmpty()) {
        files.addAll(fetch.intel(intelUrl, fmspcs));
      }
      if (!products.isEmpty()) {
        files.addAll(fetch.amd(amdUrl, products));
      }
      if (!rims.isEmpty()) {
        files.addAll(fetch.nvidia(nvidiaUrl, rims));
      }
      List<Map<String, String>> body =
          files.stream()
              .map(f ->
                  Map.of("name", f.name(), "data", Base64.getEncoder().encodeToString(f.bytes())))
              .toList();
      JsonNode result = client.client().post("/v1/collateral", Map.of("files", body));
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          result,
          r ->
              spec.commandLine()
                  .getOut()
                  .println(
                      "fetched "
                          + files.size()
                          + " file(s); imported "
                          + r.path("stored").size()
                          + " new"));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Stored collateral with next-update times; EXPIRED marks stale files.")
  static final class ListCollateral implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode result = client.client().get("/v1/collateral");
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          result,
          r ->
              r.path("collateral")
                  .forEach(e ->
                      spec.commandLine()
                          .getOut()
                          .printf(
                              "%-10s %-12s %-40s next update %s%s%n",
                              e.path("format").asText(),
                              e.path("kind").asText(),
                              e.path("key").asText(),
                              e.path("next_update").asText("-"),
                              e.path("expired").asBoolean() ? " EXPIRED" : "")));
      return ExitCode.OK;
    }
  }
}
