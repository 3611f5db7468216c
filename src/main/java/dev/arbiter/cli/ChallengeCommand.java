// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter challenge}: a nonce and, for a TEE key, the binding value to put in the evidence.
 */
@Command(
    name = "challenge",
    mixinStandardHelpOptions = true,
    description =
        "Get a single-use nonce; with --key also print the binding value B = SHA-512(nonce || JWK"
            + " thumbprint) the TEE must place in its report data (the key file is created when"
            + " missing).")
final class ChallengeCommand implements Callable<Integer> {
  @Option(
      names = "--key",
      description = "TEE key (private EC JWK); created when the file does not exist.")
  Path key;

  @Option(
      names = "--format",
      description =
          "With --key: also print the value this format's evidence must carry "
              + "(its binding rule: B, SHA-256(B), a prefix of B, or the nonce).")
  String format;

  @Mixin TeeOptions tee;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JsonNode challenge = tee.client().post("/v1/challenge", Map.of());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("nonce", challenge.path("nonce").asText());
    out.put("expires_at", challenge.path("expires_at").asText());
    if (key != null) {
      ECKey teeKey = TeeKeys.readOrCreate(key);
      byte[] nonce = Base64.getUrlDecoder().decode(challenge.path("nonce").asText());
      out.put("binding", Hex.encode(Binding.value(nonce, teeKey)));
      if (format != null) {
        var descriptor =
            dev.arbiter.schemes.BuiltInSchemes.registry()
                .descriptor(format)
                .orElseThrow(() -> CliException.usage("unknown --format: " + format));
        var expected =
            descriptor
                .binding()
                .expected(dev.arbiter.appraisal.TeeKey.of(teeKey.toPublicJWK()).binding(nonce));
        out.put("format", format);
        out.put(
            "expected",
            Hex.encode(((dev.arbiter.evidence.ExpectedBinding.Value) expected).bytes()));
      }
    } else if (format != null) {
      throw CliException.usage("--format needs --key");
    }
    var printer = spec.commandLine().getOut();
    if (tee.json()) {
      printer.println(Json.writePretty(out));
    } else {
      out.forEach((name, value) -> printer.println(name + " " + value));
    }
    printer.flush();
    return ExitCode.OK;
  }
}
