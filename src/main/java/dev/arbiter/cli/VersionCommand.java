// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arbiter version register|list|show}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Register and inspect workload versions.",
    subcommands = {VersionCommand.Register.class, VersionCommand.ListVersions.class, VersionCommand.Show.class})
final class VersionCommand {

  @Command(name = "register", mixinStandardHelpOptions = true,
      description = "Register an immutable version with its reference values (pipeline, operator). Same content again is a no-op; different content under the label is refused.")
  static final class Register implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--version", required = true, description = "Version label, e.g. 1.4.2.")
    String version;

    @Option(names = "--reference-values", required = true, description = "Reference-values JSON file (format in CONTRACTS.md).")
    Path referenceValues;

    @Option(names = "--digest", description = "sha256:HEX of the artifact this version is about.")
    String digest;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("version", version);
      body.put("reference_values", WorkloadCommand.readJson(referenceValues));
      if (digest != null) {
        body.put("digest", digest);
      }
      JsonNode v = client.client().post("/v1/workloads/" + ApiClient.encode(workload) + "/versions", body);
      Printer.print(spec.commandLine().getOut(), client.json(), v, b -> spec.commandLine().getOut().println(
          (b.path("created").asBoolean() ? "registered " : "already registered (identical) ") + workload + "@" + version
              + " content_hash=" + b.path("content_hash").asText()));
      return ExitCode.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List a workload's versions.")
  static final class ListVersions implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = client.client().get("/v1/workloads/" + ApiClient.encode(workload) + "/versions");
      Printer.print(spec.commandLine().getOut(), client.json(), body, b -> {
        for (JsonNode v : b.path("versions")) {
          spec.commandLine().getOut().printf("%-20s %s%s%n", v.path("version").asText(), v.path("content_hash").asText(),
              v.path("revoked").asBoolean() ? " REVOKED" : "");
        }
      });
      return ExitCode.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one version.")
  static final class Show implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--version", required = true)
    String version;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = client.client().get("/v1/workloads/" + ApiClient.encode(workload) + "/versions/" + ApiClient.encode(version));
      Printer.print(spec.commandLine().getOut(), true, body, b -> {});
      return ExitCode.OK;
    }
  }
}
