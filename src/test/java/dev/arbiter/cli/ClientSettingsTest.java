// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.auth.ClientConfig;
import dev.arbiter.crypto.Pkcs12;
import dev.arbiter.testing.CliRun;
import dev.arbiter.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client configuration: flags > environment > current context > ./arbiter-data/client.json, each
 * error naming the configuration it used; named contexts; {@code issue-cert --p12}.
 */
class ClientSettingsTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static CliRun run(Map<String, String> env, String... args) {
    return Env.with(env, () -> CliRun.of(args));
  }

  private Map<String, String> env(Path home) {
    Map<String, String> env = new HashMap<>();
    env.put("ARBITER_CONFIG", home.resolve("config.json").toString());
    return env;
  }

  @Test
  void environmentCertificates_reachTheServer_withoutAnyClientJson(@TempDir Path home) {
    Map<String, String> env = env(home);
    env.put("ARBITER_SERVER", server.uri().toString());
    env.put("ARBITER_CACERT", server.dataDir().resolve("ca.pem").toString());
    env.put("ARBITER_CLIENT_CERT", server.dataDir().resolve("clients/operator.pem").toString());
    env.put("ARBITER_CLIENT_KEY", server.dataDir().resolve("clients/operator-key.pem").toString());

    CliRun list = run(env, "workload", "list", "--json");

    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.json().isArray() || list.json().isObject()).isTrue();
  }

  @Test
  void contexts_addUseList_thenClientCommandsUseTheCurrentOne(@TempDir Path home) {
    Map<String, String> env = env(home);
    Path dir = server.dataDir();

    CliRun add =
        run(
            env,
            "context",
            "add",
            "lab",
            "--server",
            server.uri().toString(),
            "--cacert",
            dir.resolve("ca.pem").toString(),
            "--cert",
            dir.resolve("clients/operator.pem").toString(),
            "--key",
            dir.resolve("clients/operator-key.pem").toString());
    CliRun other =
        run(
            env,
            "context",
            "add",
            "elsewhere",
            "--server",
            "https://127.0.0.1:1",
            "--cacert",
            dir.resolve("ca.pem").toString());
    CliRun list = run(env, "context", "list");
    CliRun workloads = run(env, "workload", "list", "--json");
    CliRun show = run(env, "context", "show", "--json");

    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(other.exitCode()).as(other.err()).isZero();
    assertThat(list.out()).contains("* lab").contains("  elsewhere");
    assertThat(workloads.exitCode()).as(workloads.err()).isZero();
    assertThat(show.json().path("server").asText()).isEqualTo(server.uri().toString());
    assertThat(show.json().path("sources").get(0).asText()).contains("context lab");

    assertThat(run(env, "context", "use", "elsewhere").exitCode()).isZero();
    CliRun refused = run(env, "workload", "list");

    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err())
        .contains("cannot connect to https://127.0.0.1:1")
        .contains("context elsewhere (" + home.resolve("config.json"));

    // a flag beats the context, and the environment beats it too
    CliRun flagged = run(env, "workload", "list", "--server", server.uri().toString(), "--json");
    assertThat(flagged.err())
        .contains("unauthenticated")
        .contains("from flags, CA from context elsewhere")
        .contains("no client certificate");
    assertThat(run(env, "context", "use", "missing").exitCode()).isEqualTo(2);
  }

  @Test
  void flags_beatEnvironment_andTheErrorNamesEachSource(@TempDir Path home) {
    Map<String, String> env = env(home);
    env.put("ARBITER_SERVER", "https://127.0.0.1:2");
    env.put("ARBITER_DATA_DIR", server.dataDir().toString());

    CliRun viaEnv = run(env, "workload", "list");
    CliRun viaFlag = run(env, "workload", "list", "--server", server.uri().toString(), "--json");

    assertThat(viaEnv.exitCode()).isEqualTo(2);
    assertThat(viaEnv.err())
        .contains("server https://127.0.0.1:2 from environment")
        .contains("certificate " + server.dataDir().resolve("clients/operator.pem"));
    assertThat(viaFlag.exitCode()).as(viaFlag.err()).isZero();
  }

  @Test
  void nothingConfigured_saysWhereItLooked(@TempDir Path home) {
    CliRun run = run(env(home), "workload", "list");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("no server configured")
        .contains(home.resolve("config.json").toString())
        .doesNotContain("\n\n");
  }

  @Test
  void issueCert_p12_holdsKeyCertificateAndCa(@TempDir Path work) throws Exception {
    Path p12 = work.resolve("browser.p12");
    Path password = work.resolve("password");
    Files.writeString(password, "s3cret\n");

    CliRun issued =
        CliRun.of(
            "admin",
            "issue-cert",
            "browser-user",
            "--role",
            "auditor",
            "--p12",
            p12.toString(),
            "--p12-password-file",
            password.toString(),
            "--data-dir",
            server.dataDir().toString(),
            "--json");

    assertThat(issued.exitCode()).as(issued.err()).isZero();
    var chain = Pkcs12.readChain(Files.readAllBytes(p12), "s3cret".toCharArray());
    assertThat(chain).hasSize(2);
    assertThat(chain.get(0).getSubjectX500Principal().getName()).contains("CN=browser-user");
    assertThat(dev.arbiter.crypto.Certificates.fingerprint(chain.get(0)))
        .isEqualTo(issued.json().path("fingerprint").asText());
    assertThat(chain.get(1).getSubjectX500Principal().getName()).contains("Arbiter local CA");
    assertThat(Files.getPosixFilePermissions(p12))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void clientJson_stillWorks_andContextFileUntouched(@TempDir Path home) throws Exception {
    ClientConfig config = ClientConfig.read(server.dataDir().resolve("client.json"));
    assertThat(config.server()).isEqualTo(server.uri().toString());
    CliRun run =
        run(env(home), "workload", "list", "--data-dir", server.dataDir().toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(home.resolve("config.json")).doesNotExist();
  }
}
