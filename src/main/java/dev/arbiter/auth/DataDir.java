// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import java.nio.file.Path;

/**
 * The layout of Arbiter's data directory (default {@code ./arbiter-data}). Private keys are mode
 * 600. Replicas sharing one PostgreSQL need the same {@code service-key.pem}, {@code ca*.pem} and
 * {@code roles.json}.
 */
public record DataDir(Path root) {
  public static final Path DEFAULT = Path.of("arbiter-data");

  public DataDir {
    root = root.toAbsolutePath().normalize();
  }

  public Path serviceKey() {
    return root.resolve("service-key.pem");
  }

  public Path caCertificate() {
    return root.resolve("ca.pem");
  }

  public Path caKey() {
    return root.resolve("ca-key.pem");
  }

  public Path serverCertificate() {
    return root.resolve("server.pem");
  }

  public Path serverKey() {
    return root.resolve("server-key.pem");
  }

  public Path clientsDir() {
    return root.resolve("clients");
  }

  public Path roles() {
    return root.resolve("roles.json");
  }

  public Path clientConfig() {
    return root.resolve("client.json");
  }

  /** The embedded PostgreSQL cluster and binaries. */
  public Path database() {
    return root.resolve("postgres");
  }

  /** Master key for secrets at rest (key broker). */
  public Path masterKey() {
    return root.resolve("master-key.bin");
  }
}
