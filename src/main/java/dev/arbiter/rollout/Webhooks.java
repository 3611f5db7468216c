// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.ProblemException;
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
 * most {@value #MAX_ATTEMPTS} attempts), only to targets on the operator's allow-list ({@link
 * WebhookTargets}, checked at registration and again before every attempt). The body is JSON;
 * header {@code Arbiter-Signature} holds a compact JWS with a detached payload, signed afresh for
 * each attempt: protected header {@code {"alg":"ES256","typ":"arbiter-webhook+jwt","kid":...,
 * "iat":<seconds>,"exp":<seconds>}}. The {@code typ} differs from an EAR's, so a webhook signature
 * is never taken for an EAR nor the reverse.
 *
 * <p>How a receiver verifies a delivery: (1) fetch the key named by {@code kid} from {@code
 * /.well-known/jwks.json} (pin it; over the server's TLS); (2) check the header's {@code alg} is
 * ES256 and {@code typ} is exactly {@value #TYPE} (refuse anything else, an EAR in particular); (3)
 * check {@code iat <= now + skew} and {@code now < exp} (lifetime {@link #LIFETIME}); (4) verify
 * the signature over the exact body bytes as received (RFC 7515 appendix F: the detached payload is
 * the body, so the signature covers the body's digest; re-serialising the JSON breaks it); (5) drop
 * a body seen before (the event's fields identify it). Thread-safe.
 */
public final class Webhooks {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  static final int MAX_ATTEMPTS = 10;
  public static final String SIGNATURE_HEADER = "Arbiter-Signature";

  /** The JWS {@code typ} of a webhook signature; never an EAR's. */
  public static final String TYPE = "arbiter-webhook+jwt";

  /** How long a webhook signature is valid after it is made ({@code exp - iat}). */
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  private final ServiceKey key;
  private final Clock clock;
  private final WebhookTargets targets;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param targets the operator's allow-list ({@link WebhookTargets#none()} refuses every webhook)
   */
  public Webhooks(ServiceKey key, Clock clock, WebhookTargets targets) {
    this.key = key;
    this.clock = clock;
    this.targets = targets;
  }

  /**
   * Refuses a webhook URL that is not an allowed target.
   *
   * @throws ProblemException {@link RolloutProblem#WEBHOOK_NOT_ALLOWED}
   */
  public void check(String url) {
    targets
        .refusal(url)
        .ifPresent(reason -> {
          throw new ProblemException(RolloutProblem.WEBHOOK_NOT_ALLOWED, reason);
        });
  }

  /** Queues a notification in the caller's transaction. */
  public void enqueue(Tx tx, String url, WebhookEvent event) {
    String body = Json.write(event);
    WebhookStore.enqueue(tx, url, body, sign(body), clock.instant());
  }

  /** The detached compact JWS over {@code body}: {@code header..signature}. */
  public String sign(String body) {
    Instant now = clock.instant();
    try {
      JWSObject jws =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .type(new JOSEObjectType(TYPE))
                  .keyID(key.keyId())
                  .customParam("iat", now.getEpochSecond())
                  .customParam("exp", now.plus(LIFETIME).getEpochSecond())
                  .build(),
              new Payload(body));
      jws.sign(key.joseSigner());
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
      java.util.Optional<String> refusal = targets.refusal(row.url());
      if (refusal.isPresent()) {
        WebhookStore.refused(database, row.id(), MAX_ATTEMPTS, "not sent: " + refusal.get());
        LOG.warn("webhook to {} not sent: {}", row.url(), refusal.get());
        continue;
      }
      String error = post(row.url(), row.body(), sign(row.body()));
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
