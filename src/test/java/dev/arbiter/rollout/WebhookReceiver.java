// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pipeline's webhook endpoint on 127.0.0.1 that records every POST and answers 500 to the first
 * {@code failFirst}. It listens on {@link dev.arbiter.testing.TestServer#webhookPort()}, the port
 * the test servers allow ({@code serve --webhook-allow}).
 */
final class WebhookReceiver implements AutoCloseable {
  /** One request as received: exact body bytes, signature header, status answered, arrival time. */
  record Delivery(byte[] body, String signature, int answered, long atNanos) {
    JsonNode json() {
      try {
        return Json.readTree(new String(body, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Verifies the detached JWS in {@code Arbiter-Signature} over the exact body with the key named
     * by its kid.
     */
    boolean verifies(JWKSet keys, byte[] over) {
      try {
        JWSObject jws = JWSObject.parse(signature, new Payload(over));
        if (jws.getHeader().getType() == null
            || !Webhooks.TYPE.equals(jws.getHeader().getType().getType())) {
          return false;
        }
        var key = keys.getKeyByKeyId(jws.getHeader().getKeyID());
        return key instanceof ECKey ec && jws.verify(new ECDSAVerifier(ec.toECPublicKey()));
      } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
        return false;
      }
    }
  }

  private final HttpServer http;
  private final List<Delivery> deliveries = new ArrayList<>();
  private final AtomicInteger toFail;

  WebhookReceiver(int failFirst) throws IOException {
    this.toFail = new AtomicInteger(failFirst);
    // the port the test servers' webhook allow-list names (one receiver at a time)
    this.http =
        HttpServer.create(
            new InetSocketAddress(
                InetAddress.getLoopbackAddress(), dev.arbiter.testing.TestServer.webhookPort()),
            0);
    http.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          int status =
              "POST".equals(exchange.getRequestMethod())
                  ? (toFail.getAndDecrement() > 0 ? 500 : 204)
                  : 405;
          synchronized (deliveries) {
            deliveries.add(
                new Delivery(
                    body,
                    exchange.getRequestHeaders().getFirst("Arbiter-Signature"),
                    status,
                    System.nanoTime()));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    http.start();
  }

  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
  }

  List<Delivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
