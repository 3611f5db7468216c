// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.Providers;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.supplychain.Admission;
import dev.arbiter.supplychain.SupplyChainPolicy;
import dev.arbiter.supplychain.osv.AdvisoryIndex;
import dev.arbiter.supplychain.osv.OsvParser;
import dev.arbiter.supplychain.osv.Scanner;
import dev.arbiter.supplychain.provenance.dsse.Pae;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One version admission as registration, {@code version check} and the rollout gate run it: two
 * keyed DSSE SLSA v1 statements (ECDSA P-256, quorum 2 so each signer is identified), CEL over
 * each, a CycloneDX SBOM of 1,000 npm components parsed and bound, and matched against 10,000
 * advisories (every component has advisories; none affects its version). Run: see
 * docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class AdmissionBenchmark {
  private SupplyChainPolicy policy;
  private Admission.Input input;
  private Scanner scanner;

  @Setup
  public void setUp() throws Exception {
    String sha = Hex.encode(Digests.sha256("admission-benchmark".getBytes(StandardCharsets.UTF_8)));
    KeyPair k1 = CertBuilder.ecKeyPair("secp256r1");
    KeyPair k2 = CertBuilder.ecKeyPair("secp256r1");
    policy =
        SupplyChainPolicy.parse(
            Json.mapper()
                .valueToTree(
                    Map.of(
                        "builder_ids",
                        List.of("https://b1.test", "https://b2.test"),
                        "keys",
                        List.of(pem(k1), pem(k2)),
                        "quorum",
                        2,
                        "cel",
                        "provenance.buildDefinition.externalParameters.repository =="
                            + " 'https://github.com/example/app'")));
    ObjectNode bom = Json.mapper().createObjectNode();
    bom.put("bomFormat", "CycloneDX").put("specVersion", "1.5");
    bom.putObject("metadata")
        .putObject("component")
        .put("type", "application")
        .put("name", "app")
        .putArray("hashes")
        .addObject()
        .put("alg", "SHA-256")
        .put("content", sha);
    ArrayNode components = bom.putArray("components");
    AdvisoryIndex index = new AdvisoryIndex();
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      components
          .addObject()
          .put("type", "library")
          .put("name", "pkg" + i)
          .put("version", "2.0." + i)
          .put("purl", "pkg:npm/pkg" + i + "@2.0." + i);
    }
    for (int i = 0; i < 10_000; i++) {
      records.add(
          Map.of(
              "id",
              "GHSA-bench-" + i,
              "modified",
              "2026-01-01T00:00:00Z",
              "affected",
              List.of(
                  Map.of(
                      "package", Map.of("ecosystem", "npm", "name", "pkg" + (i % 1000)),
                      "ranges",
                          List.of(
                              Map.of(
                                  "type",
                                  "SEMVER",
                                  "events",
                                  List.of(
                                      Map.of("introduced", "0"), Map.of("fixed", "1.0." + i))))))));
    }
    index.addAll(
        OsvParser.parse(
            Json.write(records).getBytes(StandardCharsets.UTF_8), "bench", new ArrayList<>()));
    scanner = new Scanner(index);
    input =
        new Admission.Input(
            Optional.of("sha256:" + sha),
            List.of(envelope(k1, sha, "https://b1.test"), envelope(k2, sha, "https://b2.test")),
            Optional.of(Json.write(bom).getBytes(StandardCharsets.UTF_8)));
    Admission.Verdict verdict = evaluate();
    if (!verdict.admissible() || verdict.sbom().orElseThrow().components().size() != 1000) {
      throw new IllegalStateException("benchmark input is not admissible: " + verdict.reasons());
    }
  }

  @Benchmark
  public Admission.Verdict evaluate() {
    return Admission.evaluate(policy, input, scanner, Clock.systemUTC());
  }

  private static String pem(KeyPair key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(key.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static byte[] envelope(KeyPair key, String sha, String builder) throws Exception {
    String statement =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"app\",\"digest\":{\"sha256\":\""
            + sha
            + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"buildDefinition\":{\"buildType\":\"x\","
            + "\"externalParameters\":{\"repository\":\"https://github.com/example/app\"}},\"runDetails\":{\"builder\":{\"id\":\""
            + builder
            + "\"}}}}";
    byte[] payload = statement.getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key.getPrivate());
    signer.update(Pae.encode("application/vnd.in-toto+json", payload));
    return Json.write(
            Map.of(
                "payloadType",
                "application/vnd.in-toto+json",
                "payload",
                Base64.getEncoder().encodeToString(payload),
                "signatures",
                List.of(Map.of("sig", Base64.getEncoder().encodeToString(signer.sign())))))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Runs this benchmark; JMH command-line options are passed through. */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    System.out.println("signature provider: " + Providers.signatureProviderName());
    new Runner(
            new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(AdmissionBenchmark.class.getSimpleName())
                .build())
        .run();
  }
}
