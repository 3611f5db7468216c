// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.crypto.PemKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Arbiter's local admin CA (EC P-256): created on first start in the data directory; issues the
 * server certificate and client certificates (one per principal, role-mapped in roles.json). Like a
 * kubeconfig, whoever holds a client certificate and key acts as that principal.
 */
public final class LocalCa {
  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration LEAF_LIFETIME = Duration.ofDays(825);

  private final DataDir dir;
  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Clock clock;

  private LocalCa(DataDir dir, X509Certificate certificate, PrivateKey key, Clock clock) {
    this.dir = dir;
    this.certificate = certificate;
    this.key = key;
    this.clock = clock;
  }

  /** Loads the CA from the data directory, creating it when absent. */
  public static LocalCa loadOrCreate(DataDir dir, Clock clock) throws IOException {
    Files.createDirectories(dir.root());
    if (Files.exists(dir.caCertificate()) && Files.exists(dir.caKey())) {
      return new LocalCa(
          dir, readCertificate(dir.caCertificate()), PemKeys.readPrivateKey(dir.caKey()), clock);
    }
    KeyPair pair = CertBuilder.ecKeyPair("secp256r1");
    Instant now = clock.instant();
    X509Certificate ca =
        CertBuilder.subject("CN=Arbiter local CA,O=Arbiter", pair.getPublic())
            .selfSigned(pair.getPrivate())
            .validity(now.minus(Duration.ofMinutes(5)), now.plus(CA_LIFETIME))
            .ca(0)
            .build();
    PemKeys.writePrivateKey(dir.caKey(), pair.getPrivate());
    Files.writeString(dir.caCertificate(), Certificates.toPem(ca), StandardCharsets.US_ASCII);
    return new LocalCa(dir, ca, pair.getPrivate(), clock);
  }

  /** Loads an existing CA (client-side commands such as {@code admin issue-cert}). */
  public static LocalCa load(DataDir dir, Clock clock) throws IOException {
    if (!Files.exists(dir.caCertificate()) || !Files.exists(dir.caKey())) {
      throw new IOException(
          "no Arbiter CA in " + dir.root() + " (start 'arbiter serve' once to create it)");
    }
    return new LocalCa(
        dir, readCertificate(dir.caCertificate()), PemKeys.readPrivateKey(dir.caKey()), clock);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Ensures a server certificate exists that names every host in {@code hosts} (plus localhost and
   * the loopback addresses); re-issues it when a name is missing or it expires within 30 days.
   */
  public void ensureServerCertificate(Collection<String> hosts) throws IOException {
    Set<String> wanted = new java.util.LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    wanted.addAll(hosts);
    if (Files.exists(dir.serverCertificate()) && Files.exists(dir.serverKey())) {
      X509Certificate existing = readCertificate(dir.serverCertificate());
      if (namesAll(existing, wanted)
          && existing
              .getNotAfter()
              .toInstant()
              .isAfter(clock.instant().plus(Duration.ofDays(30)))) {
        return;
      }
    }
    KeyPair pair = CertBuilder.ecKeyPair("secp256r1");
    Instant now = clock.instant();
    CertBuilder builder =
        CertBuilder.subject("CN=arbiter,O=Arbiter", pair.getPublic())
            .issuer(certificate, key)
            .validity(now.minus(Duration.ofMinutes(5)), now.plus(LEAF_LIFETIME))
            .serverAuth();
    for (String host : wanted) {
      if (isIpLiteral(host)) {
        builder.ipAddress(host);
      } else {
        builder.dnsName(host);
      }
    }
    PemKeys.writePrivateKey(dir.serverKey(), pair.getPrivate());
    Files.writeString(
        dir.serverCertificate(), Certificates.toPem(builder.build()), StandardCharsets.US_ASCII);
  }

  /**
   * An issued client credential: certificate and key files, and what roles.json records.
   *
   * @param replaced fingerprints of earlier certificates of the same name, now unmapped
   */
  public record Issued(
      Path certificate,
      Path key,
      String fingerprint,
      String serial,
      Instant notAfter,
      java.util.List<String> replaced) {}

  /**
   * Issues a client certificate for {@code name} with {@code role} and records the mapping,
   * replacing (unmapping) earlier certificates of the same name.
   */
  public Issued issueClient(String name, Role role, RoleMap roles) throws IOException {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
      throw new IllegalArgumentException(
          "a principal name is letters, digits, '.', '_', '@', '-' (at most 64)");
    }
    KeyPair pair = CertBuilder.ecKeyPair("secp256r1");
    Instant now = clock.instant();
    X509Certificate leaf =
        CertBuilder.subject("CN=" + name + ",OU=" + role.id() + ",O=Arbiter", pair.getPublic())
            .issuer(certificate, key)
            .validity(now.minus(Duration.ofMinutes(5)), now.plus(LEAF_LIFETIME))
            .clientAuth()
            .build();
    Files.createDirectories(dir.clientsDir());
    Path keyFile = dir.clientsDir().resolve(name + "-key.pem");
    Path certFile = dir.clientsDir().resolve(name + ".pem");
    PemKeys.writePrivateKey(keyFile, pair.getPrivate());
    Files.writeString(certFile, Certificates.toPem(leaf), StandardCharsets.US_ASCII);
    String fingerprint = Certificates.fingerprint(leaf);
    String serial = leaf.getSerialNumber().toString(16);
    Instant notAfter = leaf.getNotAfter().toInstant();
    List<String> replaced =
        roles.replace(new RoleMap.Issued(fingerprint, role, name, serial, notAfter, now));
    return new Issued(certFile, keyFile, fingerprint, serial, notAfter, replaced);
  }

  /**
   * Writes an issued credential as PKCS#12 (key, certificate and this CA's certificate), for
   * browsers and tools that import one file.
   */
  public void writePkcs12(Issued issued, String alias, char[] password, Path out)
      throws IOException {
    dev.arbiter.crypto.Pkcs12.write(
        out,
        alias,
        PemKeys.readPrivateKey(issued.key()),
        List.of(readCertificate(issued.certificate()), certificate),
        password);
  }

  static X509Certificate readCertificate(Path file) throws IOException {
    try {
      return Certificates.parse(Files.readAllBytes(file)).get(0);
    } catch (CertificateException e) {
      throw new IOException("cannot read certificate " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean namesAll(X509Certificate certificate, Set<String> hosts) {
    try {
      Set<String> names = new java.util.HashSet<>();
      var alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> entry : alternatives) {
          names.add(normalizeHost(String.valueOf(entry.get(1))));
        }
      }
      return hosts.stream().map(LocalCa::normalizeHost).allMatch(names::contains);
    } catch (CertificateException e) {
      return false;
    }
  }

  private static String normalizeHost(String host) {
    if (isIpLiteral(host)) {
      try {
        return InetAddress.getByName(host).getHostAddress();
      } catch (IOException e) {
        return host;
      }
    }
    return host.toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }
}
