// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {
  private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

  @TempDir Path dir;

  @Test
  void newDataDirectory_ringOfTheCurrentKey_selfSigned_mode600() throws Exception {
    ServiceKey key = ServiceKey.generate();
    KeyRing ring = KeyRing.loadOrCreate(dir, key, T);
    assertThat(ring.entries()).extracting(KeyRing.Entry::keyId).containsExactly(key.keyId());
    assertThat(ring.newest().previous()).isNull();
    assertThat(Files.getPosixFilePermissions(dir.resolve(KeyRing.FILE)))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(KeyRing.load(dir.resolve(KeyRing.FILE)).keys()).containsOnlyKeys(key.keyId());
    assertThat(Files.readString(dir.resolve(KeyRing.FILE))).doesNotContain("\"d\"");
  }

  @Test
  void earlierDataDirectory_adoptsTheRetiredKeyFiles_oldestFirst_eachSignedByTheOneBefore()
      throws Exception {
    ServiceKey first = ServiceKey.generate();
    ServiceKey second = ServiceKey.generate();
    ServiceKey current = ServiceKey.generate();
    Path a = dir.resolve("service-key-" + first.keyId() + ".retired.pem");
    Path b = dir.resolve("service-key-" + second.keyId() + ".retired.pem");
    first.save(a);
    second.save(b);
    Files.setLastModifiedTime(a, FileTime.from(T.minusSeconds(7200)));
    Files.setLastModifiedTime(b, FileTime.from(T.minusSeconds(3600)));
    KeyRing ring = KeyRing.loadOrCreate(dir, current, T);
    assertThat(ring.entries())
        .extracting(KeyRing.Entry::keyId)
        .containsExactly(first.keyId(), second.keyId(), current.keyId());
    assertThat(ring.entries())
        .extracting(KeyRing.Entry::previous)
        .containsExactly(null, first.keyId(), second.keyId());
  }

  @Test
  void serviceKeyThatIsNotTheNewestOfTheRing_refusesToStart() throws Exception {
    KeyRing.loadOrCreate(dir, ServiceKey.generate(), T);
    ServiceKey swapped = ServiceKey.generate();
    assertThatThrownBy(() -> KeyRing.loadOrCreate(dir, swapped, T))
        .isInstanceOf(KeyRing.InvalidKeyRing.class)
        .hasMessageContaining(swapped.keyId())
        .hasMessageContaining("not the newest key");
  }

  private List<ObjectNode> entries(KeyRing ring) {
    List<ObjectNode> out = new ArrayList<>();
    ring.entries().forEach(e -> out.add((ObjectNode) Json.mapper().valueToTree(e)));
    return out;
  }

  private Path write(List<ObjectNode> entries) throws Exception {
    ObjectNode root = Json.mapper().createObjectNode();
    root.set("keys", Json.mapper().valueToTree(entries));
    Path file = dir.resolve("tampered.json");
    Files.writeString(file, Json.write(root), StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void appendedKeyNotSignedByThePreviousKey_isRefused() throws Exception {
    ServiceKey genuine = ServiceKey.generate();
    KeyRing ring = KeyRing.of(genuine, T);
    // the attacker appends their key, endorsing it with itself
    ServiceKey attacker = ServiceKey.generate();
    KeyRing selfEndorsed = KeyRing.of(attacker, T);
    List<ObjectNode> tampered = entries(ring);
    ObjectNode forged = entries(selfEndorsed).getFirst();
    forged.put("previous", genuine.keyId());
    tampered.add(forged);
    assertThatThrownBy(() -> KeyRing.load(write(tampered)))
        .isInstanceOf(KeyRing.InvalidKeyRing.class)
        .hasMessageContaining("is not signed by the previous key " + genuine.keyId());
  }

  @Test
  void rotation_isSignedByThePreviousKey_andVerifies() throws Exception {
    ServiceKey old = ServiceKey.generate();
    ServiceKey next = ServiceKey.generate();
    KeyRing ring = KeyRing.of(old, T).withRotation(old, next, T.plusSeconds(60));
    Path file = dir.resolve("ring.json");
    ring.save(file);
    KeyRing loaded = KeyRing.load(file);
    assertThat(loaded.keys()).containsOnlyKeys(old.keyId(), next.keyId());
    assertThat(loaded.newest().keyId()).isEqualTo(next.keyId());
    assertThatThrownBy(
            () -> ring.withRotation(next, ServiceKey.generate(), T).withRotation(old, next, T))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void swappedPublicKey_reorderedEntries_orPrivateMaterial_areRefused() throws Exception {
    ServiceKey a = ServiceKey.generate();
    ServiceKey b = ServiceKey.generate();
    KeyRing ring = KeyRing.of(a, T).withRotation(a, b, T);

    List<ObjectNode> swapped = entries(ring);
    swapped
        .get(1)
        .set("jwk", Json.mapper().valueToTree(ServiceKey.generate().publicJwk().toJSONObject()));
    assertThatThrownBy(() -> KeyRing.load(write(swapped)))
        .isInstanceOf(KeyRing.InvalidKeyRing.class)
        .hasMessageContaining("is not its JWK thumbprint");

    List<ObjectNode> reordered = entries(ring);
    java.util.Collections.reverse(reordered);
    assertThatThrownBy(() -> KeyRing.load(write(reordered)))
        .isInstanceOf(KeyRing.InvalidKeyRing.class)
        .hasMessageContaining("as its predecessor");

    List<ObjectNode> withPrivate = entries(ring);
    ObjectNode jwk = (ObjectNode) withPrivate.get(0).get("jwk");
    jwk.put("d", "AAAA");
    assertThatThrownBy(() -> KeyRing.load(write(withPrivate)))
        .isInstanceOf(KeyRing.InvalidKeyRing.class);

    assertThatThrownBy(() -> KeyRing.load(write(List.of())))
        .isInstanceOf(KeyRing.InvalidKeyRing.class)
        .hasMessageContaining("holds no key");
  }
}
