// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arbiter sample-tee}: plays one development TEE end to end against a --dev server. */
@Command(
    name = "sample-tee",
    mixinStandardHelpOptions = true,
    description =
        "Play a development TEE (sample scheme; server must run with --dev): make a key, get a"
            + " nonce, sign sample evidence, attest, and save the EAR and key. Exit 0 affirming, 1"
            + " otherwise.")
final class SampleTeeCommand implements Callable<Integer> {
  @Option(names = "--workload", required = true)
  String workload;

  @Option(names = "--measurement", required = true, description = "Hex measurement to report.")
  String measurement;

  @Option(
      names = "--config",
      description = "NAME=sha256:HEX of security-sensitive configuration; repeatable.")
  List<String> config = new ArrayList<>();

  @Option(names = "--instance", description = "Instance id (default: a random one).")
  String instance;

  @Option(
      names = "--out",
      description = "Directory for ear.jwt and tee-key.jwk (default: current directory).",
      defaultValue = ".")
  Path out;

  @Mixin TeeOptions tee;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!dev.arbiter.internal.Hex.isHex(measurement)) {
      throw CliException.usage("--measurement must be hex");
    }
    Map<String, String> configuration = new TreeMap<>();
    for (String entry : config) {
      int eq = entry.indexOf('=');
      if (eq <= 0
          || !entry
              .substring(eq + 1)
              .toLowerCase(java.util.Locale.ROOT)
              .matches("sha(256|384):[0-9a-f]+")) {
        throw CliException.usage("--config must be NAME=sha256:HEX, not " + entry);
      }
      configuration.put(
          entry.substring(0, eq), entry.substring(eq + 1).toLowerCase(java.util.Locale.ROOT));
    }
    ApiClient client = tee.client();
    ECKey teeKey = TeeKeys.generate();
    ECKey attestationKey = TeeKeys.generate();
    JsonNode challenge = client.post("/v1/challenge", Map.of());
    byte[] nonce = Base64.getUrlDecoder().decode(challenge.path("nonce").asText());
    String evidence =
        SampleEvidence.sign(
            attestationKey,
            measurement,
            configuration.isEmpty() ? null : SampleEvidence.configurationDigest(configuration),
            Binding.value(nonce, teeKey));
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", workload);
    request.put("instance_id", instance != null ? instance : "sample-" + UUID.randomUUID());
    request.put("nonce", challenge.path("nonce").asText());
    request.put("tee_key", teeKey.toPublicJWK().toJSONObject());
    request.put(
        "evidence",
        Map.of(
            "format",
            "sample",
            "data",
            Base64.getEncoder().encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
    JsonNode result = client.post("/v1/attest", request);
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("ear.jwt"), result.path("token").asText() + "\n", StandardCharsets.US_ASCII);
    TeeKeys.write(out.resolve("tee-key.jwk"), teeKey);
    var printer = spec.commandLine().getOut();
    if (tee.json()) {
      printer.println(Json.writePretty(result));
    } else {
      printer.println(
          result.path("status").asText()
              + ": "
              + workload
              + "@"
              + result.path("version").asText()
              + " (revision "
              + result.path("policy_revision").asText().substring(0, 16)
              + "...), EAR in "
              + out.resolve("ear.jwt")
              + ", key in "
              + out.resolve("tee-key.jwk"));
    }
    printer.flush();
    return result.path("status").asText().equals("affirming") ? ExitCode.OK : ExitCode.REFUSED;
  }
}
