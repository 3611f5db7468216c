// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.auth.ClientConfig;
import dev.arbiter.crypto.TlsContexts;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arbiter serve} as a real process: JSON logs, {@code /readyz}, JVM and HTTP metrics by
 * route template, a second server on the same data directory refused with one line (and no
 * client.json change), and SIGTERM ending it with exit 0 and no stack trace.
 */
class ServeProcessTest {

  @Test
  void serve_jsonLogs_readyz_metrics_lockedDataDir_andSigterm(@TempDir Path work) throws Exception {
    try (TestServer database = TestServer.start()) {
      String url = database.server().database().replicaUrl();
      Path dataDir = work.resolve("data");
      Path log = work.resolve("serve.log");
      Process serve =
          fork(url, dataDir, log, List.of("--log-format", "json"), "ARBITER_LOG_LEVEL", "INFO");
      try {
        await(() -> !serve.isAlive() || read(log).contains("listening on"));
        assertThat(serve.isAlive()).as(read(log)).isTrue();
        Path clientJson = dataDir.resolve("client.json");
        String clientBefore = Files.readString(clientJson);
        ClientConfig client = ClientConfig.read(clientJson);
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.create(null, null, client.resolve(clientJson, client.ca())))
                .build();
        URI base = URI.create(client.server());

        HttpResponse<String> ready = get(http, base, "/readyz");
        get(http, base, "/no-such-route/secret-value-123");
        HttpResponse<String> metrics = get(http, base, "/metrics");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(Json.readTree(ready.body()).path("status").asText()).isEqualTo("ready");
        assertThat(metrics.body())
            .contains("jvm_memory_used_bytes")
            .contains("jvm_gc_")
            .contains("jvm_threads_live_threads")
            .contains("jvm_classes_loaded_classes")
            .contains("system_cpu_count")
            .containsPattern(
                "http_server_requests_seconds_count\\{[^}]*route=\"/readyz\"[^}]*status=\"2xx\"")
            .containsPattern(
                "http_server_requests_seconds_count\\{[^}]*route=\"unmatched\"[^}]*status=\"4xx\"")
            .doesNotContain("secret-value-123");

        // a second server on the same data directory: one line, exit 2, client.json untouched
        Path secondLog = work.resolve("second.log");
        Process second = fork(url, dataDir, secondLog, List.of());
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = nonEmptyLines(read(secondLog));
        assertThat(second.exitValue()).as(read(secondLog)).isEqualTo(2);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
            .startsWith("arbiter: the data directory ")
            .contains("in use by another 'arbiter serve' (pid " + serve.pid() + ")");
        assertThat(Files.readString(clientJson)).isEqualTo(clientBefore);

        serve.destroy(); // SIGTERM
        assertThat(serve.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = read(log);
        assertThat(serve.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("\tat ").doesNotContain("Exception");
        List<String> jsonLines = nonEmptyLines(output);
        for (String line : jsonLines) {
          JsonNode parsed = Json.readTree(line);
          assertThat(parsed.has("level")).as(line).isTrue();
          assertThat(parsed.has("message")).as(line).isTrue();
        }
        assertThat(jsonLines.get(jsonLines.size() - 1)).contains("\"stopped\"");
      } finally {
        serve.destroyForcibly();
        serve.waitFor(60, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> nonEmptyLines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static HttpResponse<String> get(HttpClient http, URI base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static Process fork(
      String databaseUrl, Path dataDir, Path log, List<String> extra, String... env)
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", // as the jar's manifest says
                "-cp",
                System.getProperty("java.class.path"),
                "dev.arbiter.cli.Main",
                "serve",
                "--database-url",
                databaseUrl,
                "--data-dir",
                dataDir.toString(),
                "--port",
                Integer.toString(port)));
    command.addAll(extra);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    for (int i = 0; i + 1 < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    return builder.start();
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("timed out waiting").isNegative();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }
}
