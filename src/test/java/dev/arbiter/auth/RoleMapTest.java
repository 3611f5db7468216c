// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code roles.json}: fingerprint to role, reloaded when the file changes. */
class RoleMapTest {
  private static final String ALICE = "AB".repeat(32);
  private static final String CI = "cd".repeat(32);

  @Test
  void add_thenLookup_anyCaseOfTheFingerprint(@TempDir Path dir) throws Exception {
    RoleMap roles = new RoleMap(dir.resolve("roles.json"));
    roles.add(ALICE, Role.OPERATOR, "alice");
    roles.add(CI, Role.PIPELINE, "ci");

    assertThat(roles.lookup(ALICE)).contains(new RoleMap.Entry(Role.OPERATOR, "alice"));
    assertThat(roles.lookup(ALICE.toLowerCase()))
        .contains(new RoleMap.Entry(Role.OPERATOR, "alice"));
    assertThat(roles.lookup(CI)).contains(new RoleMap.Entry(Role.PIPELINE, "ci"));
    assertThat(roles.lookup("00".repeat(32))).isEmpty();
    assertThat(Files.readString(dir.resolve("roles.json")))
        .contains(ALICE.toLowerCase())
        .contains("\"pipeline\"");
  }

  @Test
  void lookup_missingFile_nobody(@TempDir Path dir) {
    assertThat(new RoleMap(dir.resolve("roles.json")).lookup(ALICE)).isEmpty();
  }

  @Test
  void lookup_fileChanged_reloadsSoRemovingAnEntryRevokes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("roles.json");
    RoleMap roles = new RoleMap(file);
    roles.add(ALICE, Role.OPERATOR, "alice");
    assertThat(roles.lookup(ALICE)).isPresent();

    Files.writeString(file, "{\"" + CI + "\": {\"role\": \"auditor\", \"name\": \"audit\"}}");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

    assertThat(roles.lookup(ALICE)).isEmpty();
    assertThat(roles.lookup(CI)).contains(new RoleMap.Entry(Role.AUDITOR, "audit"));
  }

  @Test
  void lookup_unknownRole_ignored(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("roles.json");
    Files.writeString(file, "{\"" + ALICE + "\": {\"role\": \"root\", \"name\": \"mallory\"}}");

    assertThat(new RoleMap(file).lookup(ALICE)).isEmpty();
  }

  @Test
  void add_replacesTheEntryOfTheSameFingerprint(@TempDir Path dir) throws Exception {
    RoleMap roles = new RoleMap(dir.resolve("roles.json"));
    roles.add(ALICE, Role.OPERATOR, "alice");
    roles.add(ALICE.toLowerCase(), Role.AUDITOR, "alice");

    assertThat(new RoleMap(dir.resolve("roles.json")).lookup(ALICE))
        .contains(new RoleMap.Entry(Role.AUDITOR, "alice"));
  }
}
