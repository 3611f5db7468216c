// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.testing.TestServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 7, webhooks: replays the SSRF through a rollout's webhook URL (cloud metadata, the
 * database port on loopback). Targets must match the operator's allow-list ({@code serve
 * --webhook-allow}, default none); refused at registration with a typed 400 that changes nothing,
 * and re-checked before every delivery. Webhook signatures carry their own {@code typ}.
 */
class WebhookSsrfTest {
  private static final TestServer defaults = TestServer.start();

  @AfterAll
  static void stop() {
    defaults.close();
  }

  @Test
  void register_ssrfTargets_refusedByDefault_andNothingChanges() {
    for (String target : List.of("http://169.254.169.254/", "http://127.0.0.1:5432/")) {
      var refused =
          defaults
              .operator()
              .post(
                  "/v1/workloads/ssrf-default/rollouts",
                  Map.of("to", "B", "reason", "go", "webhook", target));
      assertThat(refused.status()).as(refused.text()).isEqualTo(400);
      assertThat(refused.problem()).isEqualTo("webhook-not-allowed");
    }
    assertThat(count(defaults, "select count(*) from rollout")).isZero();
    assertThat(
            count(
                defaults,
                "select count(*) from webhook_delivery where url in"
                    + " ('http://169.254.169.254/', 'http://127.0.0.1:5432/')"))
        .isZero();
  }

  @Test
  void register_ssrfTargets_refusedWhereOnlyAPrefixIsAllowed() {
    // the allowed prefix working end to end: RolloutAutoAbortTest and RolloutDeadlineTest
    TestServer shared = TestServer.shared();
    RolloutFixture.workload(shared, "ssrf-allow", Map.of("A", "a9a9", "B", "b9b9"), "A");
    for (String target :
        List.of(
            "http://169.254.169.254/",
            "http://127.0.0.1:5432/",
            "http://127.0.0.1:" + TestServer.webhookPort() + "/other",
            "https://127.0.0.1:" + TestServer.webhookPort() + "/hook")) {
      var refused =
          shared
              .operator()
              .post(
                  "/v1/workloads/ssrf-allow/rollouts",
                  Map.of("to", "B", "reason", "go", "webhook", target));
      assertThat(refused.status()).as(target + ": " + refused.text()).isEqualTo(400);
      assertThat(refused.problem()).isEqualTo("webhook-not-allowed");
    }
    assertThat(RolloutFixture.state(shared, "ssrf-allow")).isEmpty();
  }

  @Test
  void deliver_targetNoLongerAllowed_isNeverSent() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(0)) {
      // queued while the target was allowed; this server (default: none allowed) must not send it
      defaults
          .server()
          .database()
          .useTransaction(
              tx -> WebhookStore.enqueue(tx, receiver.url(), "{}", "x..y", Instant.now()));
      RolloutFixture.await(
          "the scheduler gives the delivery up",
          15_000,
          () ->
              count(
                      defaults,
                      "select count(*) from webhook_delivery where attempts >= "
                          + Webhooks.MAX_ATTEMPTS
                          + " and last_error like 'not sent:%'")
                  == 1);
      assertThat(receiver.deliveries()).isEmpty();
    }
  }

  @Test
  void sign_headerCarriesTheWebhookTyp_kidAndLifetime() throws Exception {
    ServiceKey key = ServiceKey.generate();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Webhooks webhooks = new Webhooks(key, Clock.fixed(now, ZoneOffset.UTC), WebhookTargets.none());
    String body = "{\"event\":\"x\"}";
    String signature = webhooks.sign(body);
    assertThat(signature).contains("..");
    JWSObject jws = JWSObject.parse(signature, new com.nimbusds.jose.Payload(body));
    assertThat(jws.getHeader().getType().getType()).isEqualTo("arbiter-webhook+jwt");
    assertThat(jws.getHeader().getKeyID()).isEqualTo(key.keyId());
    assertThat(jws.getHeader().getCustomParam("iat")).isEqualTo(now.getEpochSecond());
    assertThat(jws.getHeader().getCustomParam("exp"))
        .isEqualTo(now.plus(Webhooks.LIFETIME).getEpochSecond());
    assertThat(dev.arbiter.crypto.JoseCrypto.verify(jws, key.publicJwk())).isTrue();
  }

  private static long count(TestServer server, String sql) {
    return server
        .server()
        .database()
        .jdbi()
        .withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
