// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.testing.TestServer;
import dev.arbiter.token.EarStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A proof of possession carries a nonce, so it is accepted at most once also across a restart: the
 * restarted server (same data directory, same nonce key, same port and external URL) refuses a
 * proof it already accepted, and one whose nonce it minted before the restart.
 */
class ProofReplayAfterRestartTest {
  private static final String WORKLOAD = "kb-restart";
  private static final String SECRET = "kb-restart-secret";

  @Test
  void release_replayedOrMintedBeforeARestart_isRefusedAsWrongIssuer() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (TestServer server = TestServer.start(config -> config.withPort(port))) {
      KeyBrokerFixture kb = new KeyBrokerFixture(server);
      kb.workload(WORKLOAD);
      TestServer.Response put =
          kb.put(SECRET, WORKLOAD, "restart-value", "status == 'affirming'", false);
      assertThat(put.status()).as(put.text()).isBetween(200, 201);
      ECKey teeKey = KeyBrokerFixture.newKey();
      String token = kb.ear(WORKLOAD, "1.0", EarStatus.AFFIRMING, teeKey);
      Map<String, Object> used = kb.body(teeKey, SECRET, token);
      Map<String, Object> unused = kb.body(teeKey, SECRET, token);
      assertThat(kb.release(SECRET, used).status()).isEqualTo(200);
      assertThat(kb.release(SECRET, used).status()).as("replay before the restart").isEqualTo(403);
      assertThat(kb.lastAudit(SECRET).path("details").path("check").asText())
          .isEqualTo("nonce-reused");

      server.restart();
      assertThat(server.uri().getPort()).isEqualTo(port);
      KeyBrokerFixture after = new KeyBrokerFixture(server);
      for (Map<String, Object> replay : java.util.List.of(used, unused)) {
        TestServer.Response refused = after.release(SECRET, replay);
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.problem()).isEqualTo("release-refused");
        assertThat(after.lastAudit(SECRET).path("details").path("check").asText())
            .isEqualTo("nonce-wrong-issuer");
      }
      // the EAR is still good: a proof over a nonce of the restarted server is accepted
      assertThat(after.release(SECRET, after.body(teeKey, SECRET, token)).status()).isEqualTo(200);
    }
  }
}
