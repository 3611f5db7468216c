// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemType;
import dev.arbiter.supplychain.SupplyChainFixture.Builder;
import dev.arbiter.supplychain.osv.AdvisoryIndex;
import dev.arbiter.supplychain.osv.OsvParser;
import dev.arbiter.supplychain.osv.Scanner;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.sbom.SbomProblem;
import dev.arbiter.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The admission evaluation without a server: quorum, derivation, signers, signed SBOMs,
 * vulnerability policy.
 */
class AdmissionTest {
  private static final Builder B1 = Builder.create("https://builders.test/u1@v1");
  private static final Builder B2 = Builder.create("https://builders.test/u2@v1");

  static SupplyChainPolicy policy(Map<String, Object> extra) {
    ObjectNode node =
        Json.mapper()
            .valueToTree(
                Map.of(
                    "builder_ids",
                    List.of(B1.id(), B2.id()),
                    "keys",
                    List.of(B1.publicPem(), B2.publicPem())));
    node.setAll((ObjectNode) Json.mapper().valueToTree(extra));
    return SupplyChainPolicy.parse(node);
  }

  static Scanner scanner(Map<String, Object>... records) {
    AdvisoryIndex index = new AdvisoryIndex();
    for (Map<String, Object> record : records) {
      index.addAll(
          OsvParser.parse(
              Json.write(record).getBytes(StandardCharsets.UTF_8), "test", new ArrayList<>()));
    }
    return new Scanner(index);
  }

  static List<ProblemType> types(Admission.Verdict verdict) {
    return verdict.reasons().stream().map(Problem::type).toList();
  }

  @Test
  void quorum_countsDistinctBuildersOnly() {
    String sha = SupplyChainFixture.artifact("q");
    byte[] sbom = SupplyChainFixture.sbom(sha, List.of());
    SupplyChainPolicy policy = policy(Map.of("quorum", 2));
    var same =
        Admission.evaluate(
            policy,
            new Admission.Input(
                Optional.of("sha256:" + sha),
                List.of(B1.provenance(sha, "r1"), B1.provenance(sha, "r2")),
                Optional.of(sbom)),
            scanner(),
            Clock.systemUTC());
    assertThat(types(same)).containsExactly(SupplyChainProblem.PROVENANCE_QUORUM_NOT_MET);
    assertThat(same.quorumBuilders()).containsExactly(B1.id());
    Builder impostor = new Builder(B2.id(), B1.key());
    var oneKeyTwoBuilders =
        Admission.evaluate(
            policy,
            new Admission.Input(
                Optional.of("sha256:" + sha),
                List.of(B1.provenance(sha, "r1"), impostor.provenance(sha, "r1")),
                Optional.of(sbom)),
            scanner(),
            Clock.systemUTC());
    assertThat(types(oneKeyTwoBuilders))
        .containsExactly(SupplyChainProblem.PROVENANCE_QUORUM_NOT_MET);
    var distinct =
        Admission.evaluate(
            policy,
            new Admission.Input(
                Optional.of("sha256:" + sha),
                List.of(B1.provenance(sha, "r1"), B2.provenance(sha, "r1")),
                Optional.of(sbom)),
            scanner(),
            Clock.systemUTC());
    assertThat(distinct.admissible()).as(distinct.reasons().toString()).isTrue();
  }

  @Test
  void noDigest_derivedFromSubjects_andReferenceValuesDerived() {
    String sha = SupplyChainFixture.artifact("d");
    SupplyChainPolicy policy =
        policy(Map.of("derive", Map.of("scheme", "sample", "claim", "measurement")));
    var verdict =
        Admission.evaluate(
            policy,
            new Admission.Input(
                Optional.empty(),
                List.of(B1.provenance(sha, "r")),
                Optional.of(SupplyChainFixture.sbom(sha, List.of()))),
            scanner(),
            Clock.systemUTC());
    assertThat(verdict.admissible()).as(verdict.reasons().toString()).isTrue();
    assertThat(verdict.artifactDigest()).contains("sha256:" + sha);
    assertThat(verdict.derived().path("sample").path("measurement").asText()).isEqualTo(sha);
    var disagreeing =
        Admission.evaluate(
            policy,
            new Admission.Input(
                Optional.empty(),
                List.of(
                    B1.provenance(sha, "r"), B2.provenance(SupplyChainFixture.artifact("x"), "r")),
                Optional.empty()),
            scanner(),
            Clock.systemUTC());
    assertThat(types(disagreeing)).contains(SupplyChainProblem.ARTIFACT_DIGEST_REQUIRED);
  }

  @Test
  void signedSbomStatement_boundThroughItsSubject_tamperedRefused() {
    String sha = SupplyChainFixture.artifact("s");
    String statement =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"app\",\"digest\":{\"sha256\":\""
            + sha
            + "\"}}],\"predicateType\":\"https://cyclonedx.org/bom\",\"predicate\":"
            + new String(
                SupplyChainFixture.sbom(
                    SupplyChainFixture.artifact("unrelated"), List.of("pkg:npm/x@1.0.0")),
                StandardCharsets.UTF_8)
            + "}";
    byte[] envelope =
        B1.envelope(SupplyChainFixture.INTOTO, statement.getBytes(StandardCharsets.UTF_8));
    SupplyChainPolicy policy = policy(Map.of());
    var ok =
        Admission.evaluate(
            policy,
            new Admission.Input(
                Optional.of("sha256:" + sha),
                List.of(B1.provenance(sha, "r")),
                Optional.of(envelope)),
            scanner(),
            Clock.systemUTC());
    assertThat(ok.admissible()).as(ok.reasons().toString()).isTrue();
    assertThat(ok.sbom().orElseThrow().components()).hasSize(1);
    byte[] forged =
        Builder.create("https://builders.test/u1@v1")
            .envelope(SupplyChainFixture.INTOTO, statement.getBytes(StandardCharsets.UTF_8));
    var refused =
        Admission.evaluate(
            policy,
            new Admission.Input(
                Optional.of("sha256:" + sha),
                List.of(B1.provenance(sha, "r")),
                Optional.of(forged)),
            scanner(),
            Clock.systemUTC());
    assertThat(types(refused)).containsExactly(ProvenanceProblem.PROVENANCE_SIGNATURE_INVALID);
    var unbound =
        Admission.evaluate(
            policy,
            new Admission.Input(
                Optional.of("sha256:" + sha),
                List.of(B1.provenance(sha, "r")),
                Optional.of(SupplyChainFixture.sbom(SupplyChainFixture.artifact("y"), List.of()))),
            scanner(),
            Clock.systemUTC());
    assertThat(types(unbound)).containsExactly(SbomProblem.SBOM_NOT_BOUND);
  }

  @Test
  void vulnerabilityPolicy_thresholdAndDefault() {
    String sha = SupplyChainFixture.artifact("v");
    byte[] sbom = SupplyChainFixture.sbom(sha, List.of("pkg:npm/adm-medium@1.0.0"));
    Scanner scanner =
        scanner(
            SupplyChainFixture.osv(
                "GHSA-adm0-medi-0001", "adm-medium", "1.0.1", SupplyChainFixture.MEDIUM));
    var byDefault =
        Admission.evaluate(
            policy(Map.of()),
            new Admission.Input(
                Optional.of("sha256:" + sha), List.of(B1.provenance(sha, "r")), Optional.of(sbom)),
            scanner,
            Clock.systemUTC());
    assertThat(byDefault.admissible()).isTrue();
    assertThat(byDefault.findings()).hasSize(1);
    var strict =
        Admission.evaluate(
            policy(Map.of("vulnerabilities", Map.of("block_at_cvss", 5.0))),
            new Admission.Input(
                Optional.of("sha256:" + sha), List.of(B1.provenance(sha, "r")), Optional.of(sbom)),
            scanner,
            Clock.systemUTC());
    assertThat(types(strict)).containsExactly(SupplyChainProblem.VULNERABILITY_BLOCKING);
    assertThat(strict.reasons().get(0).detail())
        .contains("GHSA-adm0-medi-0001")
        .contains("MEDIUM")
        .contains("5.3");
  }

  @Test
  void keylessWithoutTrustedIdentities_refused() throws Exception {
    Path vectors = RepoPaths.requireVectors("supplychain");
    byte[] jar =
        Files.readAllBytes(vectors.resolve("provenance/p01_artifact_workflow_dispatch-0.5.29.jar"));
    byte[] bundle =
        Files.readAllBytes(
            vectors.resolve(
                "provenance/p01_slsa-v1_gha-gradle-v2.1.0_workflow_dispatch.bundle-v0.2.json"));
    String sha = dev.arbiter.internal.Hex.encode(dev.arbiter.crypto.Digests.sha256(jar));
    SupplyChainPolicy policy =
        SupplyChainPolicy.parse(Json.mapper().valueToTree(Map.of("require_sbom", false)));
    var verdict =
        Admission.evaluate(
            policy,
            new Admission.Input(Optional.of("sha256:" + sha), List.of(bundle), Optional.empty()),
            scanner(),
            Clock.systemUTC());
    assertThat(types(verdict))
        .containsExactly(
            SupplyChainProblem.PROVENANCE_SIGNER_UNTRUSTED,
            SupplyChainProblem.PROVENANCE_QUORUM_NOT_MET);
    var unconfigured =
        Admission.evaluate(
            SupplyChainPolicy.none(),
            new Admission.Input(Optional.of("sha256:" + sha), List.of(bundle), Optional.empty()),
            scanner(),
            Clock.systemUTC());
    assertThat(unconfigured.admissible()).as(unconfigured.reasons().toString()).isTrue();
    assertThat(unconfigured.provenance().get(0).result().signer().identity())
        .contains("delegator_lowperms-generic_slsa3.yml");
  }
}
