// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import dev.arbiter.store.Tx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed webhook notifications to pipelines. A delivery is queued in the same transaction as the
 * event it reports and then POSTed with retries and exponential backoff (1 s doubling to 1 h, at
 * most {@value #MAX_ATTEMPTS} attempts). The body is JSON; header {@code Arbiter-Signature} holds a
 * compact JWS (ES256, {@code kid} in /.well-known/jwks.json) with a detached payload: verify it
 * over the exact body bytes (RFC 7515 appendix F). Thread-safe.
 */
public final class Webhooks {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  static final int MAX_ATTEMPTS = 10;
  public static final String SIGNATURE_HEADER = "Arbiter-Signature";

  private final ServiceKey key;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public Webhooks(ServiceKey key, Clock clock) {
    this.key = key;
    this.clock = clock;
  }

  /** Queues a notification in the caller's transaction. */
  public void enqueue(Tx tx, String url, WebhookEvent event) {
    String body = Json.write(event);
    WebhookStore.enqueue(tx, url, body, sign(body), clock.instant());
  }

  /** The detached compact JWS over {@code body}: {@code header..signature}. */
  public String sign(String body) {
    try {
      JWSObject jws =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.keyId()).build(),
              new Payload(body));
      jws.sign(
          dev.arbiter.crypto.JoseCrypto.signer(
              (java.security.interfaces.ECPrivateKey) key.privateKeyForJose()));
      return jws.serialize(true);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign webhook", e);
    }
  }

  /**
   * Delivers due notifications (at most {@code limit}); safe to run on several replicas at once.
   */
  public int deliverDue(Database database, int limit) {
    List<WebhookStore.Due> due =
        WebhookStore.claimDue(
            database, MAX_ATTEMPTS, clock.instant(), limit, clock.instant().plusSeconds(60));
    for (WebhookStore.Due row : due) {
      String error = post(row.url(), row.body(), row.signature());
      Instant now = clock.instant();
      if (error == null) {
        WebhookStore.delivered(database, row.id(), now);
      } else {
        long backoff = Math.min(3600, 1L << Math.min(20, row.attempts()));
        WebhookStore.failed(database, row.id(), now.plusSeconds(backoff), error);
        LOG.warn("webhook to {} failed (attempt {}): {}", row.url(), row.attempts() + 1, error);
      }
    }
    return due.size();
  }

  private String post(String url, String body, String signature) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header(SIGNATURE_HEADER, signature)
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build();
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
    } catch (java.io.IOException | IllegalArgumentException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
