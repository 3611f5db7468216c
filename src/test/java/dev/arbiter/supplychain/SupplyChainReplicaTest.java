// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.server.ArbiterServer;
import dev.arbiter.server.ServerConfig;
import dev.arbiter.supplychain.SupplyChainFixture.Builder;
import dev.arbiter.testing.TestServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas on one database: an import on one changes the other's checks and cached EAR inputs.
 */
class SupplyChainReplicaTest {
  @Test
  void importOnOneReplica_otherReplicaSeesAdvisoryAndRecompiles(@TempDir Path secondDataDir)
      throws Exception {
    try (TestServer a = TestServer.start(config -> config.withDev(true))) {
      // replicas share the service key and the pinned key ring (README: replicas)
      for (String shared : List.of("service-key.pem", "service-keys.json", "nonce-key.bin")) {
        java.nio.file.Files.copy(a.dataDir().resolve(shared), secondDataDir.resolve(shared));
      }
      ServerConfig second =
          ServerConfig.defaults(secondDataDir)
              .withPort(0)
              .withDev(true)
              .withDatabaseUrl(Optional.of(a.server().database().replicaUrl()));
      try (ArbiterServer b = ArbiterServer.start(second)) {
        Builder builder = Builder.create("https://builders.test/replica@v1");
        var operator = a.operator();
        operator.post("/v1/workloads", Map.of("name", "sc-replica"));
        operator.put(
            "/v1/workloads/sc-replica/supply-chain",
            Map.of(
                "policy",
                Map.of(
                    "builder_ids",
                    List.of(builder.id()),
                    "keys",
                    List.of(builder.publicPem()),
                    "derive",
                    Map.of("scheme", "sample", "claim", "measurement")),
                "reason",
                "x"));
        String sha = SupplyChainFixture.artifact("replica");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", "1.0");
        body.put("digest", "sha256:" + sha);
        body.put(
            "provenance",
            List.of(SupplyChainFixture.b64(builder.provenance(sha, SupplyChainFixture.REPO))));
        body.put(
            "sbom",
            SupplyChainFixture.b64(
                SupplyChainFixture.sbom(sha, List.of("pkg:npm/sc-replica-lib@1.0.0"))));
        assertThat(operator.post("/v1/workloads/sc-replica/versions", body).status())
            .isEqualTo(201);
        operator.post(
            "/v1/workloads/sc-replica/policy/accept", Map.of("version", "1.0", "reason", "go"));
        b.services().policyCache().reload("sc-replica");
        assertThat(
                b.services()
                    .policyCache()
                    .get("sc-replica")
                    .orElseThrow()
                    .versions()
                    .get(0)
                    .vulnerabilities())
            .isEmpty();

        var imported =
            operator.post(
                "/v1/advisories",
                Map.of(
                    "records",
                    List.of(
                        SupplyChainFixture.osv(
                            "GHSA-sc00-repl-0001",
                            "sc-replica-lib",
                            "1.0.1",
                            SupplyChainFixture.CRITICAL))));
        assertThat(imported.status()).as(imported.text()).isEqualTo(200);

        List<String> seen = List.of();
        for (int i = 0; i < 100 && seen.isEmpty(); i++) {
          Thread.sleep(100);
          seen =
              b.services()
                  .policyCache()
                  .get("sc-replica")
                  .orElseThrow()
                  .versions()
                  .get(0)
                  .vulnerabilities();
        }
        assertThat(seen).containsExactly("GHSA-sc00-repl-0001");
        SupplyChainService.CheckReport check =
            b.services().supplyChain().check("sc-replica", "1.0");
        assertThat(check.admissible()).isFalse();
        assertThat(check.reasons().toString()).contains("GHSA-sc00-repl-0001");
      }
    }
  }
}
