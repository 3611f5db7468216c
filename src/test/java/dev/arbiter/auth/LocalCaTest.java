// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.crypto.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local admin CA: creation, client and server certificates, key file modes, and mutual TLS with
 * {@link TlsContexts}.
 */
class LocalCaTest {
  private static final Clock CLOCK = Clock.systemUTC();

  private static X509Certificate certificate(Path file) throws Exception {
    return Certificates.parse(Files.readAllBytes(file)).get(0);
  }

  @Test
  void loadOrCreate_createsOnce_thenLoadsTheSameCa(@TempDir Path root) throws Exception {
    DataDir dir = new DataDir(root.resolve("data"));
    LocalCa created = LocalCa.loadOrCreate(dir, CLOCK);
    LocalCa loaded = LocalCa.loadOrCreate(dir, CLOCK);

    assertThat(created.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(loaded.certificate()).isEqualTo(created.certificate());
    assertThat(LocalCa.load(dir, CLOCK).certificate()).isEqualTo(created.certificate());
    assertThat(certificate(dir.caCertificate())).isEqualTo(created.certificate());
  }

  @Test
  void load_withoutCa_refused(@TempDir Path root) {
    assertThatThrownBy(() -> LocalCa.load(new DataDir(root), CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("arbiter serve");
  }

  @Test
  void issueClient_certificateChainsToTheCaAndRoleIsMapped(@TempDir Path root) throws Exception {
    DataDir dir = new DataDir(root);
    LocalCa ca = LocalCa.loadOrCreate(dir, CLOCK);
    RoleMap roles = new RoleMap(dir.roles());

    LocalCa.Issued issued = ca.issueClient("ci-bot", Role.PIPELINE, roles);

    X509Certificate leaf = certificate(issued.certificate());
    leaf.verify(ca.certificate().getPublicKey());
    leaf.checkValidity();
    assertThat(leaf.getSubjectX500Principal().getName())
        .contains("CN=ci-bot")
        .contains("OU=pipeline");
    assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2"); // clientAuth
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(issued.fingerprint()).isEqualTo(Certificates.fingerprint(leaf));
    assertThat(new RoleMap(dir.roles()).lookup(issued.fingerprint()))
        .contains(new RoleMap.Entry(Role.PIPELINE, "ci-bot"));
    assertThat(issued.certificate()).isEqualTo(dir.clientsDir().resolve("ci-bot.pem"));
  }

  @Test
  void issueClient_nameThatIsNotAPlainIdentifier_refused(@TempDir Path root) throws Exception {
    DataDir dir = new DataDir(root);
    LocalCa ca = LocalCa.loadOrCreate(dir, CLOCK);

    for (String name : List.of("", "../x", "a,O=Evil", "x".repeat(65), "-lead")) {
      assertThatThrownBy(() -> ca.issueClient(name, Role.OPERATOR, new RoleMap(dir.roles())))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Files.exists(dir.roles())).isFalse();
  }

  @Test
  void ensureServerCertificate_namesLoopbackAndHosts_reissuedOnlyForANewHost(@TempDir Path root)
      throws Exception {
    DataDir dir = new DataDir(root);
    LocalCa ca = LocalCa.loadOrCreate(dir, CLOCK);

    ca.ensureServerCertificate(List.of("arbiter.internal"));
    X509Certificate first = certificate(dir.serverCertificate());
    first.verify(ca.certificate().getPublicKey());
    assertThat(first.getSubjectAlternativeNames())
        .extracting(entry -> String.valueOf(entry.get(1)))
        .contains("localhost", "127.0.0.1", "arbiter.internal");

    ca.ensureServerCertificate(List.of("ARBITER.internal"));
    assertThat(certificate(dir.serverCertificate())).isEqualTo(first);

    ca.ensureServerCertificate(List.of("arbiter.internal", "10.0.0.7"));
    X509Certificate second = certificate(dir.serverCertificate());
    assertThat(second).isNotEqualTo(first);
    assertThat(second.getSubjectAlternativeNames())
        .extracting(entry -> String.valueOf(entry.get(1)))
        .contains("10.0.0.7");
  }

  @Test
  void everyPrivateKeyInTheDataDirectory_isMode600(@TempDir Path root) throws Exception {
    DataDir dir = new DataDir(root);
    LocalCa ca = LocalCa.loadOrCreate(dir, CLOCK);
    ca.ensureServerCertificate(List.of());
    LocalCa.Issued issued = ca.issueClient("alice", Role.OPERATOR, new RoleMap(dir.roles()));
    ServiceKey.loadOrCreate(dir.serviceKey());

    for (Path key : List.of(dir.caKey(), dir.serverKey(), issued.key(), dir.serviceKey())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
          .as(key.toString())
          .isEqualTo("rw-------");
    }
    try (var files = Files.list(root)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith(".tmp-"));
    }
  }

  @Test
  void tlsContexts_mutualTls_handshakesWithAnIssuedClient_refusesAForeignOne(@TempDir Path root)
      throws Exception {
    DataDir dir = new DataDir(root.resolve("arbiter"));
    LocalCa ca = LocalCa.loadOrCreate(dir, CLOCK);
    ca.ensureServerCertificate(List.of());
    LocalCa.Issued alice = ca.issueClient("alice", Role.OPERATOR, new RoleMap(dir.roles()));
    DataDir elsewhere = new DataDir(root.resolve("other"));
    LocalCa.Issued mallory =
        LocalCa.loadOrCreate(elsewhere, CLOCK)
            .issueClient("mallory", Role.OPERATOR, new RoleMap(elsewhere.roles()));

    SSLContext server =
        TlsContexts.create(dir.serverCertificate(), dir.serverKey(), dir.caCertificate());
    assertThat(
            handshake(
                server, TlsContexts.create(alice.certificate(), alice.key(), dir.caCertificate())))
        .isEqualTo("CN=alice");
    assertThatThrownBy(() ->
            handshake(
                server,
                TlsContexts.create(mallory.certificate(), mallory.key(), dir.caCertificate())))
        .isInstanceOf(IOException.class);
    // a client that trusts only another CA does not accept Arbiter's server certificate
    assertThatThrownBy(
            () -> handshake(server, TlsContexts.create(null, null, elsewhere.caCertificate())))
        .isInstanceOf(SSLException.class);
  }

  /**
   * One exchange over loopback with the client certificate required; returns the client's CN as the
   * server saw it.
   */
  private static String handshake(SSLContext serverContext, SSLContext clientContext)
      throws Exception {
    try (SSLServerSocket listener =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      listener.setSoTimeout(10_000);
      CompletableFuture<String> seen =
          CompletableFuture.supplyAsync(() -> {
            try (SSLSocket socket = (SSLSocket) listener.accept()) {
              socket.setSoTimeout(10_000);
              socket.startHandshake();
              X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
              socket.getOutputStream().write(1);
              socket.getOutputStream().flush();
              return peer.getSubjectX500Principal().getName().split(",")[0];
            } catch (IOException e) {
              return "refused: " + e.getMessage();
            }
          });
      try (SSLSocket client =
          (SSLSocket)
              clientContext
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        client.setSoTimeout(10_000);
        client.startHandshake();
        InputStream in = client.getInputStream();
        if (in.read() != 1) { // TLS 1.3 reports a refused client certificate on the first read
          throw new IOException("the server closed the connection");
        }
      } finally {
        seen.get(20, TimeUnit.SECONDS);
      }
      return seen.get();
    }
  }
}
