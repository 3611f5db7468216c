// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import dev.arbiter.auth.DataDir;
import dev.arbiter.auth.Principal;
import dev.arbiter.auth.Role;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Rotates Arbiter's service key: a new ES256 key becomes {@code service-key.pem}, the old file is
 * kept as {@code service-key-<kid>.retired.pem}, the new public key is recorded in {@code
 * service_key} and the old one marked retired (it stays in the JWKS so earlier revisions, audit
 * records and results still verify), and an audit record signed by the new key says who and why,
 * all in one transaction. Running replicas load the key at start: restart them after rotating.
 */
public final class KeyRotation {
  private KeyRotation() {}

  public record Rotated(String oldKeyId, String newKeyId) {}

  public static Rotated rotate(
      DataDir dir, Database database, String who, String reason, Clock clock) throws IOException {
    ServiceKey old = ServiceKey.load(dir.serviceKey());
    ServiceKey fresh = ServiceKey.generate();
    java.nio.file.Path staged = dir.root().resolve("service-key.pem.new");
    fresh.save(staged);
    try {
      database.useTransaction(tx -> {
        ServiceKeyStore.register(tx, fresh, clock.instant());
        ServiceKeyStore.retire(tx, old.keyId(), clock.instant());
        new AuditLog(fresh, clock)
            .append(
                tx,
                new Principal(who, Role.OPERATOR, "-"),
                "service-key.rotate",
                "service-key",
                reason,
                Optional.empty(),
                Map.of("old_key_id", old.keyId(), "new_key_id", fresh.keyId()));
      });
    } catch (RuntimeException e) {
      Files.deleteIfExists(staged);
      throw e;
    }
    Files.copy(
        dir.serviceKey(),
        dir.root().resolve("service-key-" + old.keyId() + ".retired.pem"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.move(
        staged,
        dir.serviceKey(),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return new Rotated(old.keyId(), fresh.keyId());
  }
}
