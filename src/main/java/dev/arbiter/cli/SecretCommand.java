// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter secret put|list|set-policy|rotate|delete} (operator) and {@code secret get} (TEE
 * side).
 */
@Command(
    name = "secret",
    mixinStandardHelpOptions = true,
    description = "Secrets released only to attested TEEs (key broker).",
    subcommands = {
      SecretCommand.Put.class,
      SecretCommand.ListSecrets.class,
      SecretCommand.SetPolicy.class,
      SecretCommand.Rotate.class,
      SecretCommand.Delete.class,
      SecretGetCommand.class
    })
final class SecretCommand {
  /** The body of {@code POST /v1/secrets} ({@code reason} left out when not given). */
  record PutBody(
      @JsonProperty("name") String name,
      @JsonProperty("workload") String workload,
      @JsonProperty("value") String value,
      @JsonProperty("release_policy") String releasePolicy,
      @JsonProperty("allow_warning") boolean allowWarning,
      @JsonProperty("reason") @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {}

  static String path(String name) {
    return "/v1/secrets/" + ApiClient.encode(name);
  }

  static String readValue(Path file) {
    byte[] bytes = Inputs.read(file);
    if (bytes.length > dev.arbiter.keybroker.SecretStore.MAX_VALUE_BYTES) {
      throw CliException.usage(
          "a secret value has at most "
              + dev.arbiter.keybroker.SecretStore.MAX_VALUE_BYTES
              + " bytes: "
              + file);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  static void printMetadata(PrintWriter out, JsonNode s) {
    out.printf(
        "%-24s workload=%s version=%d allow_warning=%s key=%s updated=%s by %s%n    release policy:"
            + " %s%n",
        s.path("name").asText(),
        s.path("workload").asText(),
        s.path("version").asInt(),
        s.path("allow_warning").asBoolean(),
        s.path("key_id").asText(),
        s.path("updated_at").asText(),
        s.path("updated_by").asText(),
        s.path("release_policy").asText());
  }

  abstract static class Admin implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    int print(String verb, JsonNode body) {
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          s -> {
            spec.commandLine().getOut().print(verb + " ");
            printMetadata(spec.commandLine().getOut(), s);
          });
      return ExitCode.OK;
    }
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Store a new secret for a workload (operator; audited).")
  static final class Put extends Admin {
    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "Secret name (letters, digits, '.', '_', '-').")
    String name;

    @Option(
        names = "--workload",
        required = true,
        description = "The only workload whose attested TEEs may receive it.")
    String workload;

    @Option(
        names = "--file",
        required = true,
        description = "File holding the value (at most 64 KiB; read as bytes).")
    Path file;

    @Option(
        names = "--release-policy",
        required = true,
        description =
            "CEL over the verified EAR: ear, status, workload, version, policy_revision, dev,"
                + " vulnerabilities, submods, tee.")
    String releasePolicy;

    @Option(
        names = "--allow-warning",
        description = "Also release to results with status warning (never contraindicated).")
    boolean allowWarning;

    @Option(names = "--reason", description = "Why (recorded in the audit log).")
    String reason;

    @Override
    public Integer call() {
      return print(
          "stored",
          client
              .client()
              .post(
                  "/v1/secrets",
                  new PutBody(
                      name, workload, readValue(file), releasePolicy, allowWarning, reason)));
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List secrets (metadata only, never values).")
  static final class ListSecrets extends Admin {
    @Override
    public Integer call() {
      JsonNode body = client.client().get("/v1/secrets");
      Printer.print(
          spec.commandLine().getOut(),
          client.json(),
          body,
          b -> {
            for (JsonNode secret : b.path("secrets")) {
              printMetadata(spec.commandLine().getOut(), secret);
            }
          });
      return ExitCode.OK;
    }
  }

  @Command(
      name = "set-policy",
      mixinStandardHelpOptions = true,
      description = "Replace a secret's release policy (operator; audited).")
  static final class SetPolicy extends Admin {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--release-policy", required = true, description = "CEL over the verified EAR.")
    String releasePolicy;

    @Option(names = "--allow-warning", description = "Also release to results with status warning.")
    boolean allowWarning;

    @Option(names = "--reason", required = true)
    String reason;

    @Override
    public Integer call() {
      return print(
          "updated",
          client
              .client()
              .put(
                  path(name) + "/policy",
                  Map.of(
                      "release_policy",
                      releasePolicy,
                      "allow_warning",
                      allowWarning,
                      "reason",
                      reason)));
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Replace a secret's value with a new version (operator; audited).")
  static final class Rotate extends Admin {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--file", required = true, description = "File holding the new value.")
    Path file;

    @Option(names = "--reason", required = true)
    String reason;

    @Override
    public Integer call() {
      return print(
          "rotated",
          client
              .client()
              .post(path(name) + "/rotate", Map.of("value", readValue(file), "reason", reason)));
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a secret and its ciphertext (operator; audited).")
  static final class Delete extends Admin {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--reason", required = true)
    String reason;

    @Override
    public Integer call() {
      return print(
          "deleted", client.client().delete(path(name) + "?reason=" + ApiClient.encode(reason)));
    }
  }
}
