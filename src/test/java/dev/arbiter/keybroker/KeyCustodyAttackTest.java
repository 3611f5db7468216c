// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.governance.IntegrityCheck;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import dev.arbiter.token.EarSigner;
import dev.arbiter.token.EarStatus;
import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays the attack on key custody from the integrity issue: whoever can write the database
 * inserts their own key into {@code service_key}, re-signs an edited audit record with it, and
 * mints an EAR with it. Before the key ring, {@code audit verify} said "intact", the key was
 * published in the JWKS and the key broker released the secret. Verification keys now come only
 * from the pinned key ring in the data directory.
 */
class KeyCustodyAttackTest {
  private static final String WORKLOAD = "custody";
  private static final String SECRET = "custody-secret";

  private TestServer server;
  private KeyBrokerFixture kb;

  @BeforeEach
  void start() {
    server = TestServer.start();
    kb = new KeyBrokerFixture(server);
    kb.workload(WORKLOAD);
    assertThat(kb.put(SECRET, WORKLOAD, "s3cret-custody", "status == 'affirming'", false).status())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Jdbi jdbi() {
    return server.server().database().jdbi();
  }

  /** The attacker's key, inserted as a row the way ServiceKeyStore writes its own. */
  private ServiceKey insertAttackerKey() {
    ServiceKey attacker = ServiceKey.generate();
    jdbi()
        .useHandle(h ->
            h.execute(
                "insert into service_key(key_id, public_jwk, created_at) values (?, ?, now())",
                attacker.keyId(),
                attacker.publicJwk().toJSONString()));
    return attacker;
  }

  @Test
  void insertedKey_reSigningAnEditedAuditRecord_isReportedByAuditVerify() throws Exception {
    ServiceKey attacker = insertAttackerKey();
    // edit the secret's creation record and re-sign it with the inserted key, hash recomputed
    var row =
        jdbi()
            .withHandle(h ->
                h.createQuery(
                        "select seq, body from audit_record where body::jsonb ->> 'target' = :t"
                            + " order by seq desc limit 1")
                    .bind("t", SECRET)
                    .mapToMap()
                    .one());
    long seq = ((Number) row.get("seq")).longValue();
    var body =
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.readTree((String) row.get("body"));
    body.put("reason", "created by the real operator, nothing to see");
    String hash = Hex.encode(Digests.sha256(Jcs.canonicalize(body)));
    String signature = attacker.sign(Hex.decode(hash));
    jdbi()
        .useHandle(h ->
            h.execute(
                "update audit_record set body = ?, hash = ?, key_id = ?, signature = ? where seq"
                    + " = ?",
                new String(Jcs.canonicalize(body), java.nio.charset.StandardCharsets.UTF_8),
                hash,
                attacker.keyId(),
                signature,
                seq));

    IntegrityCheck.Report report =
        IntegrityCheck.run(server.server().database(), server.server().services().keyRing());
    assertThat(report.intact()).isFalse();
    assertThat(report.findings())
        .anySatisfy(f -> {
          assertThat(f.table()).isEqualTo("service_key");
          assertThat(f.record()).isEqualTo(attacker.keyId());
          assertThat(f.problem()).contains("not in the pinned key ring");
        })
        .anySatisfy(f -> {
          assertThat(f.table()).isEqualTo("audit_record");
          assertThat(f.record()).isEqualTo(Long.toString(seq));
          assertThat(f.problem()).contains("a key not in the pinned key ring");
        });
    CliRun cli = CliRun.of("audit", "verify", "--data-dir", server.dataDir().toString());
    assertThat(cli.exitCode()).as(cli.out()).isEqualTo(1);
    assertThat(cli.out()).contains("not in the pinned key ring");
  }

  @Test
  void insertedKey_isNotPublishedInTheJwks() {
    ServiceKey attacker = insertAttackerKey();
    var jwks = server.anonymous().get("/.well-known/jwks.json").json();
    assertThat(jwks.path("keys").findValuesAsText("kid"))
        .containsExactly(server.server().services().serviceKey().keyId())
        .doesNotContain(attacker.keyId());
  }

  @Test
  void earMintedWithTheInsertedKey_isRefusedByTheKeyBroker() throws Exception {
    ServiceKey attacker = insertAttackerKey();
    ECKey teeKey = KeyBrokerFixture.newKey();
    EarSigner forger = new EarSigner(attacker, Clock.systemUTC(), Duration.ofMinutes(10), "x");
    String forged = KeyBrokerFixture.ear(forger, WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey);
    TestServer.Response refused = kb.release(SECRET, kb.body(teeKey, SECRET, forged));
    assertThat(refused.status()).as(refused.text()).isEqualTo(403);
    assertThat(refused.text()).doesNotContain("s3cret-custody");
    assertThat(kb.lastAudit(SECRET).path("action").asText()).isEqualTo("secret.release-refused");
    // the genuine key still works: the refusal is about the key, not the request
    String genuine = kb.ear(WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey);
    TestServer.Response released = kb.release(SECRET, kb.body(teeKey, SECRET, genuine));
    assertThat(released.status()).as(released.text()).isEqualTo(200);
  }
}
