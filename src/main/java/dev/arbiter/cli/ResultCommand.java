// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.nimbusds.jose.jwk.JWKSet;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.token.EarVerifier;
import dev.arbiter.token.VerifiedEar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arbiter result verify}: what a relying party runs on an Attestation Result. */
@Command(
    name = "result",
    mixinStandardHelpOptions = true,
    description = "Attestation Result tools.",
    subcommands = ResultCommand.Verify.class)
final class ResultCommand {

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Verify an EAR's signature (pinned JWKS), lifetime and claims; print the claims. Exit 0"
              + " valid, 1 invalid, 2 usage or I/O.")
  static final class Verify implements Callable<Integer> {
    @Option(names = "--token", required = true, description = "File holding the compact JWT.")
    Path token;

    @Option(
        names = "--jwks",
        description = "JWKS file or https URL (default: the server's /.well-known/jwks.json).")
    String jwks;

    @Option(names = "--at", description = "Verification time, RFC 3339 (default: now).")
    String at;

    @Mixin TeeOptions tee;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      JWKSet keys = loadKeys();
      Clock clock =
          at == null ? Clock.systemUTC() : Clock.fixed(Inputs.parseTime(at), ZoneOffset.UTC);
      String compact = new String(Inputs.read(token), StandardCharsets.US_ASCII).strip();
      var out = spec.commandLine().getOut();
      try {
        VerifiedEar ear = new EarVerifier(keys, clock).verify(compact);
        if (tee.json()) {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("verdict", "valid");
          body.put("profile", ear.profile());
          body.put("status", ear.status().label());
          body.put("key_id", ear.keyId());
          body.put("claims", ear.claims());
          body.put("problems", List.of());
          out.println(Json.writePretty(body));
        } else {
          out.println(
              "valid " + ear.profile() + " status=" + ear.status().label() + " kid=" + ear.keyId());
          ear.submods()
              .forEach((name, appraisal) ->
                  out.println(
                      "  submod "
                          + name
                          + ": "
                          + appraisal.status().label()
                          + " "
                          + appraisal.vector()));
          ear.expiresAt().ifPresent(exp -> out.println("  expires " + exp));
        }
        out.flush();
        return ExitCode.OK;
      } catch (ProblemException e) {
        if (tee.json()) {
          out.println(
              Json.writePretty(
                  Map.of("verdict", "invalid", "problems", ProblemJson.of(e.problems()))));
        } else {
          out.println("invalid: " + e.problem().type().slug() + ": " + e.problem().detail());
        }
        out.flush();
        return ExitCode.REFUSED;
      }
    }

    private JWKSet loadKeys() throws Exception {
      if (jwks == null) {
        return JWKSet.parse(Json.write(tee.client().get("/.well-known/jwks.json")));
      }
      if (jwks.startsWith("https://")) {
        return JWKSet.parse(Json.write(tee.client().get(jwks))); // trusts the --ca / data-dir CA
      }
      String text = Inputs.readText(Path.of(jwks)).strip();
      return text.contains("\"keys\"")
          ? JWKSet.parse(text)
          : new JWKSet(com.nimbusds.jose.jwk.JWK.parse(text));
    }
  }
}
