// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.internal.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter attest}: send evidence produced for a nonce ({@code arbiter challenge}) and save
 * the EAR.
 */
@Command(
    name = "attest",
    mixinStandardHelpOptions = true,
    description =
        "Send evidence bound to a nonce and TEE key; saves the EAR. Exit 0 affirming, 1 refused or"
            + " not affirming.")
final class AttestCommand implements Callable<Integer> {
  @Option(names = "--workload", required = true)
  String workload;

  @Option(
      names = "--format",
      required = true,
      description = "Evidence format (sev-snp, tdx, sgx, nitro, tpm, sample, ...).")
  String format;

  @Option(
      names = "--evidence",
      required = true,
      description = "Evidence file (raw, hex, base64 or the format's container JSON).")
  Path evidence;

  @Option(names = "--cert", description = "Certificate file to send with the evidence; repeatable.")
  List<Path> certs = new ArrayList<>();

  @Option(names = "--collateral", description = "Collateral file or directory; repeatable.")
  List<Path> collateral = new ArrayList<>();

  @Option(
      names = "--nonce",
      required = true,
      description = "The nonce the evidence is bound to (from 'arbiter challenge').")
  String nonce;

  @Option(
      names = "--key",
      required = true,
      description = "The TEE key (private EC JWK) the evidence is bound to.")
  Path key;

  @Option(names = "--instance", description = "Instance id (default: a random one).")
  String instance;

  @Option(
      names = "--out",
      description = "Where to write the EAR (default: ear.jwt).",
      defaultValue = "ear.jwt")
  Path out;

  @Mixin TeeOptions tee;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    var schemes = dev.arbiter.schemes.BuiltInSchemes.registry();
    if (!schemes.contains(format)) {
      throw CliException.usage(
          "unknown --format: "
              + format
              + " (known: "
              + String.join(", ", schemes.all().stream().map(s -> s.descriptor().id()).toList())
              + ")");
    }
    ECKey teeKey = TeeKeys.read(key);
    Map<String, Object> evidenceJson = new LinkedHashMap<>();
    evidenceJson.put("format", format);
    byte[] evidenceBytes = Inputs.decodeEvidence(Inputs.read(evidence));
    long size = evidenceBytes.length;
    evidenceJson.put("data", Base64.getEncoder().encodeToString(evidenceBytes));
    List<String> certificates = new ArrayList<>();
    for (Path cert : certs) {
      byte[] bytes = Inputs.read(cert);
      size += bytes.length;
      certificates.add(Base64.getEncoder().encodeToString(bytes));
    }
    evidenceJson.put("certificates", certificates);
    List<Map<String, String>> collateralJson = new ArrayList<>();
    for (Path root : collateral) {
      for (Path file : Inputs.expand(root)) {
        byte[] bytes = Inputs.read(file);
        size += bytes.length;
        collateralJson.add(
            Map.of(
                "name",
                file.getFileName().toString(),
                "data",
                Base64.getEncoder().encodeToString(bytes)));
      }
    }
    if (size > dev.arbiter.appraisal.AttestRequest.MAX_EVIDENCE_BYTES) {
      throw CliException.usage(
          "evidence, certificates and collateral have "
              + size
              + " bytes; an attestation takes at most "
              + dev.arbiter.appraisal.AttestRequest.MAX_EVIDENCE_BYTES);
    }
    evidenceJson.put("collateral", collateralJson);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", workload);
    request.put("instance_id", instance != null ? instance : "instance-" + UUID.randomUUID());
    request.put("nonce", nonce);
    request.put("tee_key", teeKey.toPublicJWK().toJSONObject());
    request.put("evidence", evidenceJson);
    JsonNode result = tee.client().post("/v1/attest", request);
    Files.writeString(out, result.path("token").asText() + "\n", StandardCharsets.US_ASCII);
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
              + ", EAR in "
              + out);
    }
    printer.flush();
    return result.path("status").asText().equals("affirming") ? ExitCode.OK : ExitCode.REFUSED;
  }
}
