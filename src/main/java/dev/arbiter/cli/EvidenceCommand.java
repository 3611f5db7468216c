// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.schemes.BuiltInSchemes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbiter evidence verify}: offline evidence verification (contract in CONTRACTS.md). */
@Command(
    name = "evidence",
    mixinStandardHelpOptions = true,
    description = "Inspect and verify TEE evidence offline.",
    subcommands = {EvidenceCommand.Verify.class})
final class EvidenceCommand {

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Verify evidence against pinned vendor roots; exit 0 valid, 1 invalid, 2 usage or I/O"
              + " error.")
  static final class Verify implements Callable<Integer> {
    @Option(
        names = "--format",
        required = true,
        description = "Scheme id: sev-snp, tdx, sgx, nitro, tpm, ...")
    String format;

    @Option(
        names = "--evidence",
        required = true,
        description = "Evidence file: raw, hex text, base64 or a container JSON.")
    Path evidence;

    @Option(names = "--cert", description = "Certificate file (PEM or DER); repeatable.")
    List<Path> certs = new ArrayList<>();

    @Option(
        names = "--key",
        description = "Verification key (PEM SPKI, JWK, TPMT_PUBLIC or a JSON list); repeatable.")
    List<Path> keys = new ArrayList<>();

    @Option(names = "--collateral", description = "Collateral file or directory; repeatable.")
    List<Path> collateral = new ArrayList<>();

    @Option(names = "--signature", description = "Detached signature (TPM).")
    Path signature;

    @Option(names = "--pcrs", description = "PCR values JSON (TPM).")
    Path pcrs;

    @Option(
        names = "--event-log",
        description =
            "TCG event log (TPM PC Client crypto-agile log; TDX CC event log): replayed against"
                + " the signed PCRs / RTMRs.")
    Path eventLog;

    @Option(names = "--at", description = "Verification time, RFC 3339 (default: now).")
    String at;

    @Option(
        names = "--report-data",
        description = "Hex value the evidence must carry (report data / nonce).")
    String reportData;

    @Option(names = "--require-revocation", description = "A chain without a CRL is a problem.")
    boolean requireRevocation;

    @Option(names = "--allow-stale-crl", description = "Accept CRLs past their nextUpdate.")
    boolean allowStaleCrl;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    /** Which registry to use; tests may replace it. */
    static SchemeRegistry registry = BuiltInSchemes.registry();

    @Override
    public Integer call() {
      EvidenceScheme scheme =
          registry
              .find(format)
              .orElseThrow(() ->
                  CliException.usage(
                      "unknown or disabled --format: "
                          + format
                          + " (known: "
                          + String.join(
                              ", ", registry.all().stream().map(s -> s.descriptor().id()).toList())
                          + ")"));
      Clock clock =
          at == null ? Clock.systemUTC() : Clock.fixed(Inputs.parseTime(at), ZoneOffset.UTC);
      ExpectedBinding binding =
          reportData == null
              ? ExpectedBinding.none()
              : ExpectedBinding.exactly(Inputs.parseHex("--report-data", reportData));
      List<EvidenceInput.Collateral> collateralFiles = new ArrayList<>();
      for (Path root : collateral) {
        for (Path file : Inputs.expand(root)) {
          collateralFiles.add(
              new EvidenceInput.Collateral(file.getFileName().toString(), Inputs.read(file)));
        }
      }
      EvidenceInput input =
          new EvidenceInput(
              Inputs.decodeEvidence(Inputs.read(evidence)),
              Inputs.readAll(certs),
              Inputs.readAll(keys),
              collateralFiles,
              Optional.ofNullable(signature).map(Inputs::read),
              Optional.ofNullable(pcrs).map(Inputs::read),
              Optional.ofNullable(eventLog).map(Inputs::read));
      VerificationContext context =
          new VerificationContext(clock, requireRevocation, allowStaleCrl);
      VerificationResult result = scheme.verify(input, binding, context);
      print(result);
      return result.valid() ? ExitCode.OK : ExitCode.REFUSED;
    }

    private void print(VerificationResult result) {
      var out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("format", result.format());
        body.put("verdict", result.valid() ? "valid" : "invalid");
        body.put("claims", result.claims().values());
        body.put("problems", ProblemJson.of(result.problems()));
        out.println(Json.writePretty(body));
        return;
      }
      out.println(result.format() + ": " + (result.valid() ? "valid" : "invalid"));
      for (var claim : result.claims().flatten().entrySet()) {
        out.println("  " + claim.getKey() + " = " + claim.getValue());
      }
      for (Problem problem : result.problems()) {
        out.println("  problem " + problem.type().slug() + ": " + problem.detail());
      }
    }
  }
}
