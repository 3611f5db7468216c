// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code arbiter advisories import|list}: OSV records for offline vulnerability monitoring. */
@Command(
    name = "advisories",
    mixinStandardHelpOptions = true,
    description = "Import and list OSV advisories (server side).",
    subcommands = {AdvisoriesCommand.Import.class, AdvisoriesCommand.ListAdvisories.class})
final class AdvisoriesCommand {

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Import OSV records from a JSON file (record or list), a directory of *.json files or a"
              + " zip export (operator; audited). Every version's SBOM is re-scanned; accepted"
              + " versions that become vulnerable get phase-out obligations.")
  static final class Import implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH")
    Path path;

    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put(
          "source", path.getFileName() == null ? path.toString() : path.getFileName().toString());
      if (Files.isDirectory(path)) {
        ArrayNode records = Json.mapper().createArrayNode();
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path file :
              walk.filter(Files::isRegularFile)
                  .filter(
                      p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"))
                  .sorted()
                  .toList()) {
            JsonNode node = WorkloadCommand.readJson(file);
            if (node.isArray()) {
              records.addAll((ArrayNode) node);
            } else {
              records.add(node);
            }
          }
        } catch (IOException e) {
          throw CliException.usage(
              "cannot read " + path + ": " + ErrorHandler.oneLine(e.getMessage()));
        }
        body.put("records", records);
      } else {
        byte[] bytes = Inputs.read(path);
        if (isZip(bytes)) {
          body.put("zip", Base64.getEncoder().encodeToString(bytes));
        } else {
          body.put("records", WorkloadCommand.parseJson(path, bytes));
        }
      }
      JsonNode result = client.client().post("/v1/advisories", body);
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          result,
          b -> {
            var out = spec.commandLine().getOut();
            out.printf(
                "imported %d record(s) from %s: %d stored, %d withdrawn, %d skipped, %d note(s)%n",
                b.path("records").asInt(),
                body.get("source"),
                b.path("stored").asInt(),
                b.path("withdrawn").asInt(),
                b.path("skipped").asInt(),
                b.path("notes").size());
            for (JsonNode v : b.path("affected_versions")) {
              out.println(
                  "  "
                      + v.path("workload").asText()
                      + "@"
                      + v.path("version").asText()
                      + ": "
                      + String.join(", ", v.path("findings").findValuesAsText("osv_id"))
                      + (v.path("obligation").isNull()
                          ? ""
                          : " -> phase-out obligation #" + v.path("obligation").asLong()));
            }
          });
      return ExitCode.OK;
    }

    private static boolean isZip(byte[] bytes) {
      return bytes.length >= 4
          && bytes[0] == 'P'
          && bytes[1] == 'K'
          && bytes[2] == 3
          && bytes[3] == 4;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Counts of stored advisories and recent imports.")
  static final class ListAdvisories implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode body = client.client().get("/v1/advisories");
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          b -> {
            var out = spec.commandLine().getOut();
            out.printf(
                "%d advisories (%d withdrawn), %d indexed on this replica%n",
                b.path("advisories").asLong(),
                b.path("withdrawn").asLong(),
                b.path("indexed").asLong());
            for (JsonNode i : b.path("imports")) {
              out.printf(
                  "  import #%d %s by %s from %s: %d records, %d stored, %d withdrawn, %d"
                      + " skipped%n",
                  i.path("seq").asLong(),
                  i.path("at").asText(),
                  i.path("principal").asText(),
                  i.path("source").asText(),
                  i.path("records").asInt(),
                  i.path("stored").asInt(),
                  i.path("withdrawn").asInt(),
                  i.path("skipped").asInt());
            }
          });
      return ExitCode.OK;
    }
  }
}
