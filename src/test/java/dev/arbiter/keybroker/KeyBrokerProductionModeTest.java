// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.testing.TestServer;
import dev.arbiter.token.EarStatus;
import dev.arbiter.token.Submodule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server without {@code --dev}: development (sample) results never receive secrets, and sealed
 * secrets survive a restart because the master key is persisted (mode 600) in the data directory.
 */
class KeyBrokerProductionModeTest {
  @Test
  void productionServer_refusesDevResults_andKeepsSecretsAcrossRestart() throws Exception {
    try (TestServer server = TestServer.start()) {
      KeyBrokerFixture kb = new KeyBrokerFixture(server);
      kb.workload("kb-prod");
      assertThat(
              kb.put("kb-prod-key", "kb-prod", "prod-value", "status == 'affirming'", false)
                  .status())
          .isEqualTo(201);
      Path masterKey = server.dataDir().resolve("master-key.bin");
      assertThat(Files.size(masterKey)).isEqualTo(32);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(masterKey)))
          .isEqualTo("rw-------");

      ECKey teeKey = KeyBrokerFixture.newKey();
      Submodule devSubmodule =
          new Submodule(
              EarStatus.AFFIRMING,
              KeyBrokerFixture.vector(EarStatus.AFFIRMING),
              List.of("sample"),
              Map.of(
                  "arbiter.workload",
                  "kb-prod",
                  "arbiter.version",
                  "1.0",
                  "arbiter.policy_revision",
                  "cd".repeat(32),
                  "arbiter.vulnerabilities",
                  List.of(),
                  "arbiter.dev",
                  true));
      String devEar =
          server
              .server()
              .services()
              .earSigner()
              .sign(Map.of("kb-prod", devSubmodule), new byte[32], teeKey.toPublicJWK());
      TestServer.Response refused =
          kb.release("kb-prod-key", kb.body(teeKey, "kb-prod-key", devEar));
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.problem()).isEqualTo("release-refused");
      assertThat(kb.lastAudit("kb-prod-key").path("details").path("check").asText())
          .isEqualTo("dev-result");

      server.restart();
      KeyBrokerFixture afterRestart = new KeyBrokerFixture(server);
      String ear = afterRestart.ear("kb-prod", "1.0", EarStatus.AFFIRMING, teeKey);
      TestServer.Response released =
          afterRestart.release("kb-prod-key", afterRestart.body(teeKey, "kb-prod-key", ear));
      assertThat(released.status()).as(released.text()).isEqualTo(200);
      assertThat(SecretWrap.unwrap(released.json().path("jwe").asText(), teeKey))
          .asString()
          .isEqualTo("prod-value");
    }
  }
}
