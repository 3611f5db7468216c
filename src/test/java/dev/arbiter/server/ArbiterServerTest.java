// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.http.Route;
import dev.arbiter.testing.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wired server: starts, serves every registered route in its OpenAPI document, releases its
 * port on close.
 */
class ArbiterServerTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void start_wiresEveryDomain_andAnswersLiveness() {
    ArbiterServer.Services services = server.server().services();
    assertThat(services.policies()).isNotNull();
    assertThat(services.rollouts()).isNotNull();
    assertThat(services.appraiser()).isNotNull();
    assertThat(services.collateral()).isNotNull();
    assertThat(server.anonymous().get("/healthz").status()).isEqualTo(200);
    assertThat(server.anonymous().get("/.well-known/jwks.json").json().path("keys")).isNotEmpty();
  }

  @Test
  void openApi_listsEveryRegisteredRoute_andNothingElse() {
    JsonNode paths = server.anonymous().get("/v1/openapi.json").json().path("paths");
    int operations = 0;
    for (Route route : server.server().routes()) {
      assertThat(paths.path(route.path()).has(route.method().toLowerCase(Locale.ROOT)))
          .as(route.method() + " " + route.path() + " in the OpenAPI document")
          .isTrue();
    }
    for (JsonNode path : paths) {
      operations += path.size();
    }
    assertThat(operations).isEqualTo(server.server().routes().size());
    assertThat(server.server().routes())
        .extracting(Route::path)
        .contains(
            "/v1/workloads",
            "/v1/audit",
            "/v1/attest",
            "/v1/workloads/{workload}/rollouts",
            "/healthz",
            "/v1/openapi.json");
  }

  @Test
  void close_releasesThePort() throws Exception {
    int port;
    try (TestServer own = TestServer.start()) {
      port = own.server().port();
      assertThat(port).isPositive();
    }
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void start_onAPortInUse_failsWithOneClearLineAndWritesNoClientConfig() throws Exception {
    java.nio.file.Path dir =
        server.dataDir().resolveSibling(server.dataDir().getFileName() + "-busy");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ServerConfig config =
          ServerConfig.defaults(dir)
              .withPort(taken.getLocalPort())
              .withDatabaseUrl(java.util.Optional.of(server.server().database().replicaUrl()));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ArbiterServer.start(config))
          .isInstanceOf(java.net.BindException.class)
          .hasMessageContaining("already in use");
      assertThat(dir.resolve("client.json")).doesNotExist();
    } finally {
      dev.arbiter.testing.TestDatabase.deleteRecursively(dir);
    }
  }
}
