// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.collateral;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.evidence.tdx.TdxScheme;
import dev.arbiter.internal.Hex;
import dev.arbiter.schemes.BuiltInSchemes;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collateral import (checked against the injected test Intel root) and its use by TDX appraisal.
 */
class CollateralImportTest {
  private static final DcapFixtures INTEL = DcapFixtures.create();
  private static final byte[] MR_TD = Hex.decode("7d".repeat(48));
  private static TestServer server;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(config ->
            config.withSchemes(BuiltInSchemes.registry().with(new TdxScheme(INTEL.trust()))));
    var operator = server.operator();
    operator.post("/v1/workloads", Map.of("name", "tdx-app"));
    operator.post(
        "/v1/workloads/tdx-app/versions",
        Map.of(
            "version", "1", "reference_values", Map.of("tdx", Map.of("mr_td", Hex.encode(MR_TD)))));
    operator.post("/v1/workloads/tdx-app/policy/accept", Map.of("version", "1", "reason", "go"));
    operator.put(
        "/v1/workloads/tdx-app/policy/appraisal",
        Map.of("cel", "claims.tcb_status == 'UpToDate'", "reason", "current TCB only"));
    server.server().services().policyCache().reload("tdx-app");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static TestServer.Response attestTdx() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    String nonce = server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
    byte[] quote =
        INTEL
            .tdxQuote()
            .mrTd(MR_TD)
            .reportData(Binding.value(Base64.getUrlDecoder().decode(nonce), key))
            .build();
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("workload", "tdx-app");
    request.put("instance_id", "td-1");
    request.put("nonce", nonce);
    request.put("tee_key", key.toPublicJWK().toJSONObject());
    request.put(
        "evidence", Map.of("format", "tdx", "data", Base64.getEncoder().encodeToString(quote)));
    return server.anonymous().post("/v1/attest", request);
  }

  @Test
  void importedCollateral_isCheckedStoredAndUsedByAppraisal(@TempDir Path dir) throws Exception {
    var before = attestTdx();
    assertThat(before.problem()).as(before.text()).isEqualTo("policy-denied");
    List<EvidenceInput.Collateral> files = INTEL.collateral(true, Instant.now());
    for (EvidenceInput.Collateral file : files) {
      Files.write(dir.resolve(file.name()), file.bytes());
    }
    Files.write(dir.resolve("pck-chain.pem"), INTEL.pckChainPem()); // the PCK CRL's issuer chain
    CliRun imported =
        CliRun.of(
            "collateral",
            "import",
            dir.toString(),
            "--data-dir",
            server.dataDir().toString(),
            "--json");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.json().path("stored").findValuesAsText("kind"))
        .contains("tcb-info", "qe-identity");
    var after = attestTdx();
    assertThat(after.status()).as(after.text()).isEqualTo(200);
    CliRun list = CliRun.of("collateral", "list", "--data-dir", server.dataDir().toString());
    assertThat(list.out()).contains("tcb-info").doesNotContain("EXPIRED");
    var audit = server.operator().get("/v1/audit?target=collateral").json().path("records");
    assertThat(audit.findValuesAsText("action")).contains("collateral.import");
  }

  @Test
  void fetchFromIntelPcs_importsThroughTheServerChecks() throws Exception {
    var files = INTEL.collateral(true, Instant.now());
    byte[] tcbInfo = files.get(0).bytes();
    byte[] qeIdentity = files.get(1).bytes();
    String chain =
        java.net.URLEncoder.encode(
            new String(INTEL.tcbSigningChainPem(), java.nio.charset.StandardCharsets.US_ASCII),
            java.nio.charset.StandardCharsets.UTF_8);
    var pcs =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    pcs.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body =
              path.equals("/tdx/certification/v4/tcb")
                  ? tcbInfo
                  : path.equals("/tdx/certification/v4/qe/identity") ? qeIdentity : null;
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            if (path.endsWith("/tcb")) {
              exchange.getResponseHeaders().add("TCB-Info-Issuer-Chain", chain);
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    pcs.start();
    try {
      CliRun fetched =
          CliRun.of(
              "collateral",
              "fetch",
              "--intel-fmspc",
              "00906ed50000",
              "--intel-pcs-url",
              "http://127.0.0.1:" + pcs.getAddress().getPort(),
              "--data-dir",
              server.dataDir().toString());
      assertThat(fetched.exitCode()).as(fetched.err()).isZero();
      assertThat(fetched.out()).contains("fetched 3 file(s)");
    } finally {
      pcs.stop(0);
    }
  }

  @Test
  void tamperedOrForeignCollateral_isRefusedWhole(@TempDir Path dir) throws Exception {
    long before =
        server
            .server()
            .database()
            .jdbi()
            .withHandle(
                h -> h.createQuery("select count(*) from collateral").mapTo(Long.class).one());
    DcapFixtures other = DcapFixtures.create();
    for (EvidenceInput.Collateral file : other.collateral(true, Instant.now())) {
      Files.write(dir.resolve(file.name()), file.bytes());
    }
    Files.writeString(dir.resolve("notes.txt"), "not collateral");
    CliRun refused =
        CliRun.of(
            "collateral", "import", dir.toString(), "--data-dir", server.dataDir().toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("collateral-rejected");
    long after =
        server
            .server()
            .database()
            .jdbi()
            .withHandle(
                h -> h.createQuery("select count(*) from collateral").mapTo(Long.class).one());
    assertThat(after).isEqualTo(before);
  }
}
