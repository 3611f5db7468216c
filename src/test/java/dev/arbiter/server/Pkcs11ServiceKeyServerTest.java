// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.arbiter.appraisal.Binding;
import dev.arbiter.auth.Role;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.governance.KeyRing;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.SoftHsm;
import dev.arbiter.testing.TestServer;
import dev.arbiter.token.EarVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --service-key pkcs11:...}: the server signs with a key in a SoftHSM2 token. */
class Pkcs11ServiceKeyServerTest {
  @TempDir Path work;

  @Test
  void serverWithTokenKey_signsEarsAndAuditRecords_verifiedAgainstThePinnedKeys() throws Exception {
    SoftHsm.Key token = SoftHsm.key(work);
    String tokenKid =
        new ECKey.Builder(Curve.P_256, (ECPublicKey) token.publicKey())
            .build()
            .computeThumbprint()
            .toString();
    try (TestServer server =
        TestServer.start(c -> c.withDev(true).withServiceKey(token.source(SoftHsm.PIN)))) {
      // the ring of a new data directory starts with the token's key; no key file is written
      assertThat(server.server().services().serviceKey().inToken()).isTrue();
      assertThat(server.dataDir().resolve("service-key.pem")).doesNotExist();
      assertThat(KeyRing.load(server.dataDir().resolve(KeyRing.FILE)).newest().keyId())
          .isEqualTo(tokenKid);
      JWKSet jwks = JWKSet.parse(server.anonymous().get("/.well-known/jwks.json").text());
      assertThat(jwks.getKeys()).extracting(k -> k.getKeyID()).containsExactly(tokenKid);

      var operator = server.operator();
      operator.post("/v1/workloads", Map.of("name", "hsm"));
      var version =
          operator.post(
              "/v1/workloads/hsm/versions",
              Map.of(
                  "version",
                  "1.0",
                  "reference_values",
                  Map.of("sample", Map.of("measurement", "aa01"))));
      assertThat(version.status()).as(version.text()).isEqualTo(201);
      var accepted =
          operator.post(
              "/v1/workloads/hsm/policy/accept", Map.of("version", "1.0", "reason", "go"));
      assertThat(accepted.status()).as(accepted.text()).isLessThan(300);
      server.server().services().policyCache().reload("hsm");

      ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
      String nonce =
          server.anonymous().post("/v1/challenge", Map.of()).json().path("nonce").asText();
      String evidence =
          SampleEvidence.sign(
              new ECKeyGenerator(Curve.P_256).generate(),
              "aa01",
              null,
              Binding.value(Base64.getUrlDecoder().decode(nonce), teeKey));
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("workload", "hsm");
      request.put("instance_id", "i-1");
      request.put("nonce", nonce);
      request.put("tee_key", teeKey.toPublicJWK().toJSONObject());
      request.put(
          "evidence",
          Map.of(
              "format",
              "sample",
              "data",
              Base64.getEncoder().encodeToString(evidence.getBytes(StandardCharsets.US_ASCII))));
      var attested = server.anonymous().post("/v1/attest", request);
      assertThat(attested.status()).as(attested.text()).isEqualTo(200);
      JsonNode body = attested.json();
      assertThat(body.path("status").asText()).isEqualTo("affirming");
      String ear = body.path("token").asText();
      assertThat(SignedJWT.parse(ear).getHeader().getKeyID()).isEqualTo(tokenKid);
      var verified = new EarVerifier(jwks, Clock.systemUTC()).verify(ear);
      assertThat(verified.submods()).containsKey("hsm");

      // revisions and audit records were signed by the token: they verify against the ring
      JsonNode check = server.as(Role.AUDITOR, "auditor").get("/v1/audit/verify").json();
      assertThat(check.path("intact").asBoolean()).as(check.toString()).isTrue();
      assertThat(check.path("revisions_checked").asInt()).isPositive();
      assertThat(check.path("audit_records_checked").asInt()).isPositive();
    }
  }

  @Test
  void serve_wrongPin_isOneLineError_andWritesNothing() throws Exception {
    SoftHsm.Key token = SoftHsm.key(work);
    Path dataDir = work.resolve("data");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.arbiter.cli.Main",
                "serve",
                "--data-dir",
                dataDir.toString(),
                "--port",
                "0",
                "--service-key",
                token.spec())
            .redirectErrorStream(true);
    builder.environment().put("SOFTHSM2_CONF", token.softhsmConf().toString());
    builder.environment().put("ARBITER_PKCS11_PIN", "98765");
    builder.environment().remove("ARBITER_DEBUG");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isEqualTo(2);
    List<String> lines = output.lines().filter(l -> l.startsWith("arbiter:")).toList();
    assertThat(lines)
        .containsExactly(
            "arbiter: service key " + token.spec() + ": PKCS#11 login failed: wrong PIN");
    assertThat(output).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("98765");
    if (Files.exists(dataDir)) { // not even created: the token is opened before anything else
      try (var files = Files.list(dataDir)) {
        assertThat(files.toList()).as("nothing written to the data directory").isEmpty();
      }
    }
  }

  @Test
  void serve_serviceKeyOption_refusesOtherFormsAndAMissingPin() {
    Path dataDir = work.resolve("data");
    CliRun notPkcs11 =
        CliRun.of(
            "serve", "--data-dir", dataDir.toString(), "--service-key", "/etc/arbiter/key.pem");
    assertThat(notPkcs11.exitCode()).isEqualTo(2);
    assertThat(notPkcs11.err().strip())
        .isEqualTo(
            "arbiter: the service key must be pkcs11:<config-file>[#<label>], not"
                + " /etc/arbiter/key.pem");
    if (System.getenv("ARBITER_PKCS11_PIN") == null) {
      CliRun noPin =
          CliRun.of(
              "serve",
              "--data-dir",
              dataDir.toString(),
              "--service-key",
              "pkcs11:" + work.resolve("hsm.cfg") + "#k");
      assertThat(noPin.exitCode()).isEqualTo(2);
      assertThat(noPin.err().strip())
          .isEqualTo(
              "arbiter: --service-key pkcs11:"
                  + work.resolve("hsm.cfg")
                  + "#k needs the token's PIN in ARBITER_PKCS11_PIN");
    }
    assertThat(dataDir).doesNotExist();
  }
}
