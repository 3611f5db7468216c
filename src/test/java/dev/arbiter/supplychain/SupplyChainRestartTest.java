// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.supplychain.SupplyChainFixture.Builder;
import dev.arbiter.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Advisories and findings live in the database: a restarted server still knows them. */
class SupplyChainRestartTest {
  @Test
  void restart_keepsAdvisories_newVersionStillBlocked() throws Exception {
    try (TestServer server = TestServer.start(config -> config.withDev(true))) {
      Builder builder = Builder.create("https://builders.test/restart@v1");
      var operator = server.operator();
      operator.post("/v1/workloads", Map.of("name", "sc-restart"));
      operator.put(
          "/v1/workloads/sc-restart/supply-chain",
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
      var imported =
          operator.post(
              "/v1/advisories",
              Map.of(
                  "records",
                  List.of(
                      SupplyChainFixture.osv(
                          "GHSA-sc00-rest-0001",
                          "sc-restart-lib",
                          "5.0.0",
                          SupplyChainFixture.CRITICAL))));
      assertThat(imported.status()).as(imported.text()).isEqualTo(200);
      server.restart();
      operator = server.operator();
      assertThat(operator.get("/v1/advisories").json().path("indexed").asInt()).isEqualTo(1);
      String sha = SupplyChainFixture.artifact("restart");
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("version", "4.0.0");
      body.put("digest", "sha256:" + sha);
      body.put(
          "provenance",
          List.of(SupplyChainFixture.b64(builder.provenance(sha, SupplyChainFixture.REPO))));
      body.put(
          "sbom",
          SupplyChainFixture.b64(
              SupplyChainFixture.sbom(sha, List.of("pkg:npm/sc-restart-lib@4.9.9"))));
      var refused = operator.post("/v1/workloads/sc-restart/versions", body);
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.problem()).isEqualTo("vulnerability-blocking");
      assertThat(refused.json().path("detail").asText()).contains("GHSA-sc00-rest-0001");
    }
  }
}
