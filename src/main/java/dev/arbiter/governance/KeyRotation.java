// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import dev.arbiter.auth.DataDir;
import dev.arbiter.auth.Principal;
import dev.arbiter.auth.Role;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rotates Arbiter's service key: a new ES256 key becomes {@code service-key.pem}, the key ring
 * ({@link KeyRing}, {@code service-keys.json}) gains the new public key in an entry signed by the
 * previous key (which stays in the ring, so earlier revisions, audit records and results still
 * verify), and the database records it (key events in the transparency log) with an audit record
 * signed by the previous key saying who and why — the audit record and the ring entry are both
 * signed by the key being retired, so a rotation cannot be forged from the database. The new files
 * are staged first and moved into place after the transaction commits; the retired private key is
 * not kept. Running replicas load the key ring at start: copy {@code service-key.pem} and {@code
 * service-keys.json} to them and restart them after rotating.
 */
public final class KeyRotation {
  private KeyRotation() {}

  public record Rotated(String oldKeyId, String newKeyId) {}

  public static Rotated rotate(
      DataDir dir, Database database, String who, String reason, Clock clock) throws IOException {
    ServiceKey old = ServiceKey.load(dir.serviceKey());
    KeyRing ring = KeyRing.loadOrCreate(dir.root(), old, clock.instant());
    ServiceKey fresh = ServiceKey.generate();
    KeyRing rotated = ring.withRotation(old, fresh, clock.instant());
    Path stagedKey = dir.root().resolve("service-key.pem.new");
    Path ringFile = dir.root().resolve(KeyRing.FILE);
    Path stagedRing = dir.root().resolve(KeyRing.FILE + ".staged");
    fresh.save(stagedKey);
    rotated.save(stagedRing);
    try {
      database.useTransaction(tx -> {
        ServiceKeyStore.register(tx, fresh, clock.instant());
        ServiceKeyStore.retire(tx, old.keyId(), clock.instant());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("old_key_id", old.keyId());
        details.put("new_key_id", fresh.keyId());
        details.put("endorsement", rotated.newest().endorsement());
        new AuditLog(old, clock)
            .append(
                tx,
                new Principal(who, Role.OPERATOR, "-"),
                "service-key.rotate",
                "service-key",
                reason,
                Optional.empty(),
                details);
      });
    } catch (RuntimeException e) {
      Files.deleteIfExists(stagedKey);
      Files.deleteIfExists(stagedRing);
      throw e;
    }
    Files.move(
        stagedRing, ringFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(
        stagedKey,
        dir.serviceKey(),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return new Rotated(old.keyId(), fresh.keyId());
  }
}
