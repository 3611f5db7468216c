// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.appraisal.Nonces;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Hex;
import dev.arbiter.testing.TestServer;
import dev.arbiter.token.EarSigner;
import dev.arbiter.token.EarStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The release route end to end over HTTPS against a real server on embedded PostgreSQL, with EARs
 * signed by the server's own EarSigner: the happy path, every refusal (identical to the caller,
 * audited with the real reason), secrets at rest and logs free of the value.
 */
class KeyBrokerReleaseTest {
  private static final String WORKLOAD = "kb-payments";
  private static final String SECRET = "kb-db-password";
  private static final String VALUE = "postgres://app:Tr0ub4dor-kb-secret@db/payments";
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
  private static Level previousLevel;

  private final KeyBrokerFixture kb = new KeyBrokerFixture(TestServer.shared());
  private final ECKey teeKey = KeyBrokerFixture.newKey();

  @BeforeAll
  static void captureLogs() {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.arbiter");
    previousLevel = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    LOGS.start();
    logger.addAppender(LOGS);
    KeyBrokerFixture kb = new KeyBrokerFixture(TestServer.shared());
    kb.workload(WORKLOAD);
    kb.workload("kb-other");
    kb.put(
        SECRET,
        WORKLOAD,
        VALUE,
        "status == 'affirming' && version == '1.0' && !dev &&"
            + " submods['kb-payments']['arbiter.workload'] == workload && ear.eat_profile =="
            + " 'tag:ietf.org,2026:rats/ear#03' && size(tee) == 43",
        false);
  }

  @AfterAll
  static void stopCapture() {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.arbiter");
    logger.detachAppender(LOGS);
    logger.setLevel(previousLevel);
    String everything =
        String.join("\n", LOGS.list.stream().map(KeyBrokerReleaseTest::render).toList());
    assertThat(everything).as("captured logs").contains("refused (proof-url)");
    for (String form : secretForms(VALUE)) {
      assertThat(everything).as("logs must never contain the secret").doesNotContain(form);
    }
  }

  private static String render(ILoggingEvent event) {
    return event.getFormattedMessage()
        + (event.getThrowableProxy() == null
            ? ""
            : ThrowableProxyUtil.asString(event.getThrowableProxy()));
  }

  private static List<String> secretForms(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return List.of(
        value,
        "Tr0ub4dor",
        Hex.encode(bytes),
        Base64.getEncoder().encodeToString(bytes),
        Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  @Test
  void release_affirmingEarWithFreshProof_returnsAJweOnlyTheTeeKeyOpens() throws Exception {
    String token = kb.ear(WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey);
    TestServer.Response response = kb.release(SECRET, kb.body(teeKey, SECRET, token));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    JsonNode json = response.json();
    assertThat(json.path("resource").asText()).isEqualTo(SECRET);
    String jwe = json.path("jwe").asText();
    JWEObject parsed = JWEObject.parse(jwe);
    assertThat(parsed.getHeader().getAlgorithm().getName()).isEqualTo("ECDH-ES");
    assertThat(parsed.getHeader().getEncryptionMethod().getName()).isEqualTo("A256GCM");
    assertThat(parsed.getHeader().getKeyID()).isEqualTo(teeKey.computeThumbprint().toString());
    assertThat(response.text()).doesNotContain("Tr0ub4dor");
    assertThat(new String(SecretWrap.unwrap(jwe, teeKey), StandardCharsets.UTF_8)).isEqualTo(VALUE);
    assertThatThrownBy(() -> SecretWrap.unwrap(jwe, KeyBrokerFixture.newKey()))
        .isInstanceOf(JOSEException.class);

    JsonNode audit = kb.lastAudit(SECRET);
    assertThat(audit.path("action").asText()).isEqualTo("secret.release");
    assertThat(audit.path("principal").asText()).isEqualTo("tee:" + teeKey.computeThumbprint());
    assertThat(audit.path("details").path("status").asText()).isEqualTo("affirming");
  }

  @Test
  void release_everyFailedCheck_looksIdenticalToTheCaller_andIsAuditedWithItsReason()
      throws Exception {
    ECKey otherKey = KeyBrokerFixture.newKey();
    String good = kb.ear(WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey);
    Instant now = Instant.now();
    List<TestServer.Response> refusals = new ArrayList<>();

    refusals.add(
        expectRefused(
            SECRET,
            kb.body(teeKey, SECRET, kb.ear(WORKLOAD, "1.0", EarStatus.WARNING, teeKey)),
            "status-warning"));
    refusals.add(
        expectRefused(
            SECRET,
            kb.body(teeKey, SECRET, kb.ear(WORKLOAD, "1.0", EarStatus.CONTRAINDICATED, teeKey)),
            "status-contraindicated"));
    EarSigner past =
        new EarSigner(
            kb.server.server().services().serviceKey(),
            Clock.fixed(now.minus(Duration.ofHours(1)), ZoneOffset.UTC),
            Duration.ofMinutes(10),
            "test");
    refusals.add(
        expectRefused(
            SECRET,
            kb.body(
                teeKey,
                SECRET,
                KeyBrokerFixture.ear(past, WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey)),
            "token-invalid",
            "token-expired"));
    EarSigner stranger =
        new EarSigner(ServiceKey.generate(), Clock.systemUTC(), Duration.ofMinutes(10), "test");
    refusals.add(
        expectRefused(
            SECRET,
            kb.body(
                teeKey,
                SECRET,
                KeyBrokerFixture.ear(stranger, WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey)),
            "token-invalid",
            "token-key-unknown"));
    refusals.add(expectRefused(SECRET, Map.of("token", good), "proof-missing"));
    refusals.add(
        expectRefused(
            SECRET,
            Map.of("proof", kb.proof(teeKey, SECRET, kb.nonce(), good, now)),
            "token-missing"));
    refusals.add(
        expectRefused(
            SECRET,
            Map.of(
                "token",
                good,
                "proof",
                kb.proof(teeKey, SECRET, kb.nonce(), good, now.minusSeconds(300))),
            "proof-stale"));
    Nonces expiredNonces =
        new Nonces(
            Nonces.loadOrCreateKey(kb.server.dataDir().resolve("nonce-key.bin")),
            Clock.fixed(now.minus(Duration.ofMinutes(10)), ZoneOffset.UTC),
            Duration.ofSeconds(120));
    refusals.add(
        expectRefused(
            SECRET,
            Map.of(
                "token",
                good,
                "proof",
                kb.proof(teeKey, SECRET, expiredNonces.issue().encoded(), good, now)),
            "nonce-expired"));
    refusals.add(
        expectRefused(
            SECRET,
            Map.of(
                "token",
                good,
                "proof",
                kb.proof(
                    teeKey,
                    SECRET,
                    Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]),
                    good,
                    now)),
            "nonce-forged"));
    Map<String, Object> once = kb.body(teeKey, SECRET, good);
    assertThat(kb.release(SECRET, once).status()).isEqualTo(200);
    refusals.add(expectRefused(SECRET, once, "nonce-reused"));
    refusals.add(
        expectRefused(
            SECRET,
            Map.of("token", good, "proof", kb.proof(teeKey, "kb-elsewhere", kb.nonce(), good, now)),
            "proof-url"));
    refusals.add(
        expectRefused(
            SECRET,
            Map.of("token", good, "proof", kb.proof(otherKey, SECRET, kb.nonce(), good, now)),
            "proof-signature"));
    String otherToken = kb.ear(WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey);
    refusals.add(
        expectRefused(
            SECRET,
            Map.of("token", good, "proof", kb.proof(teeKey, SECRET, kb.nonce(), otherToken, now)),
            "proof-token"));
    refusals.add(
        expectRefused(
            SECRET,
            kb.body(teeKey, SECRET, kb.ear("kb-other", "1.0", EarStatus.AFFIRMING, teeKey)),
            "workload-mismatch"));
    refusals.add(
        expectRefused(
            SECRET,
            kb.body(teeKey, SECRET, kb.ear(WORKLOAD, "2.0", EarStatus.AFFIRMING, teeKey)),
            "policy-denied"));
    refusals.add(
        expectRefused(
            "kb-no-such-secret", kb.body(teeKey, "kb-no-such-secret", good), "unknown-resource"));

    TestServer.Response first = refusals.get(0);
    assertThat(first.status()).isEqualTo(403);
    assertThat(first.contentType()).isEqualTo("application/problem+json");
    assertThat(first.problem()).isEqualTo("release-refused");
    for (TestServer.Response refusal : refusals) {
      assertThat(refusal.status()).isEqualTo(403);
      assertThat(refusal.text()).isEqualTo(first.text());
    }
  }

  private TestServer.Response expectRefused(
      String name, Map<String, Object> body, String check, String... detailContains) {
    long before = kb.auditCount();
    TestServer.Response response = kb.release(name, body);
    assertThat(response.status()).as(check + ": " + response.text()).isEqualTo(403);
    assertThat(kb.auditCount()).isEqualTo(before + 1);
    JsonNode audit = kb.lastAudit(name);
    assertThat(audit.path("action").asText()).isEqualTo("secret.release-refused");
    assertThat(audit.path("details").path("check").asText()).as("audited reason").isEqualTo(check);
    assertThat(audit.path("reason").asText()).startsWith(check + ":");
    for (String expected : detailContains) {
      assertThat(audit.path("reason").asText()).contains(expected);
    }
    assertThat(audit.path("principal").asText()).startsWith("tee:");
    assertThat(audit.toString()).doesNotContain("Tr0ub4dor");
    return response;
  }

  @Test
  void release_warningResult_isReleasedOnlyWhereTheSecretAllowsWarning_contraindicatedNever()
      throws Exception {
    assertThat(
            kb.put("kb-warn-ok", WORKLOAD, "warn-value", "status in ['affirming', 'warning']", true)
                .status())
        .isEqualTo(201);
    String warning = kb.ear(WORKLOAD, "1.0", EarStatus.WARNING, teeKey);
    TestServer.Response released = kb.release("kb-warn-ok", kb.body(teeKey, "kb-warn-ok", warning));
    assertThat(released.status()).as(released.text()).isEqualTo(200);
    assertThat(SecretWrap.unwrap(released.json().path("jwe").asText(), teeKey))
        .asString()
        .isEqualTo("warn-value");
    expectRefused(
        "kb-warn-ok",
        kb.body(teeKey, "kb-warn-ok", kb.ear(WORKLOAD, "1.0", EarStatus.CONTRAINDICATED, teeKey)),
        "status-contraindicated");
  }

  @Test
  void release_p384TeeKey_works() throws Exception {
    ECKey p384 =
        new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_384).generate();
    TestServer.Response response =
        kb.release(
            SECRET, kb.body(p384, SECRET, kb.ear(WORKLOAD, "1.0", EarStatus.AFFIRMING, p384)));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertThat(SecretWrap.unwrap(response.json().path("jwe").asText(), p384))
        .asString()
        .isEqualTo(VALUE);
  }

  @Test
  void release_malformedBody_isATypedProblem_andNotAudited() {
    long before = kb.auditCount();
    TestServer.Response notJson = kb.release(SECRET, "{not json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.problem()).isEqualTo("malformed-json");
    TestServer.Response unknown =
        kb.release(SECRET, Map.of("token", "x", "proof", "y", "extra", 1));
    assertThat(unknown.problem()).isEqualTo("unknown-field");
    assertThat(kb.auditCount()).isEqualTo(before);
  }

  @Test
  void atRest_theDatabaseHoldsNoPlaintext() {
    String row =
        kb.server
            .server()
            .database()
            .jdbi()
            .withHandle(h ->
                h.createQuery("select s::text from secret s where name = :n")
                    .bind("n", SECRET)
                    .mapTo(String.class)
                    .one());
    assertThat(row).contains(SECRET).contains("local:");
    for (String form : secretForms(VALUE)) {
      assertThat(row).doesNotContainIgnoringCase(form);
    }
    long leaks =
        kb.server
            .server()
            .database()
            .jdbi()
            .withHandle(h ->
                h.createQuery(
                        "select count(*) from secret where position(convert_to(:v, 'UTF8') in"
                            + " ciphertext) > 0 or position(convert_to(:v, 'UTF8') in wrapped_key)"
                            + " > 0")
                    .bind("v", "Tr0ub4dor")
                    .mapTo(Long.class)
                    .one());
    assertThat(leaks).isZero();
    long auditLeaks =
        kb.server
            .server()
            .database()
            .jdbi()
            .withHandle(h ->
                h.createQuery("select count(*) from audit_record where body like :p")
                    .bind("p", "%Tr0ub4dor%")
                    .mapTo(Long.class)
                    .one());
    assertThat(auditLeaks).isZero();
  }
}
