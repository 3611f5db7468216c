// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.crypto.Certificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local CA, the role map and principals, on a temporary data directory. */
class LocalCaIssueTest {
  @Test
  void issueClient_mapsTheFingerprintToTheRole_andTheKeyIsPrivate(@TempDir Path root)
      throws Exception {
    DataDir dir = new DataDir(root);
    LocalCa ca = LocalCa.loadOrCreate(dir, Clock.systemUTC());
    RoleMap roles = new RoleMap(dir.roles());
    LocalCa.Issued issued = ca.issueClient("ci-bot", Role.PIPELINE, roles);
    X509Certificate leaf = Certificates.parse(Files.readAllBytes(issued.certificate())).get(0);
    assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=ci-bot");
    leaf.verify(ca.certificate().getPublicKey());
    assertThat(Certificates.fingerprint(leaf)).isEqualTo(issued.fingerprint());
    assertThat(roles.lookup(issued.fingerprint().toUpperCase(java.util.Locale.ROOT)))
        .contains(new RoleMap.Entry(Role.PIPELINE, "ci-bot"));
    assertThat(new RoleMap(dir.roles()).lookup(issued.fingerprint()))
        .as("another reader of roles.json")
        .isPresent();
    if (Files.getFileStore(root).supportsFileAttributeView("posix")) {
      assertThat(Files.getPosixFilePermissions(issued.key()))
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
  }

  @Test
  void loadOrCreate_twice_keepsTheSameCa(@TempDir Path root) throws Exception {
    DataDir dir = new DataDir(root);
    X509Certificate first = LocalCa.loadOrCreate(dir, Clock.systemUTC()).certificate();
    X509Certificate second = LocalCa.loadOrCreate(dir, Clock.systemUTC()).certificate();
    assertThat(second).isEqualTo(first);
    assertThat(LocalCa.load(dir, Clock.systemUTC()).certificate()).isEqualTo(first);
  }

  @Test
  void issueClient_badName_isRefusedAndMapsNothing(@TempDir Path root) throws Exception {
    DataDir dir = new DataDir(root);
    LocalCa ca = LocalCa.loadOrCreate(dir, Clock.systemUTC());
    RoleMap roles = new RoleMap(dir.roles());
    assertThatThrownBy(() -> ca.issueClient("../evil", Role.OPERATOR, roles))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Files.exists(root.resolve("evil.pem"))).isFalse();
    assertThat(Files.exists(root.resolve("evil-key.pem"))).isFalse();
  }

  @Test
  void roleMap_missingOrUnknownRole_findsNothing(@TempDir Path root) throws Exception {
    RoleMap missing = new RoleMap(root.resolve("roles.json"));
    assertThat(missing.lookup("ab")).isEmpty();
    Files.writeString(
        root.resolve("roles.json"),
        "{\"ab\": {\"role\": \"superuser\", \"name\": \"x\"}, \"cd\": {\"role\": \"auditor\"}}");
    RoleMap roles = new RoleMap(root.resolve("roles.json"));
    assertThat(roles.lookup("ab")).isEmpty();
    assertThat(roles.lookup("CD")).contains(new RoleMap.Entry(Role.AUDITOR, "?"));
  }

  @Test
  void principal_labelAndRoleParsing() {
    assertThat(new Principal("alice", Role.OPERATOR, "-").label()).isEqualTo("operator:alice");
    assertThat(Principal.system("rollout-scheduler").label())
        .isEqualTo("operator:arbiter:rollout-scheduler");
    assertThat(Role.parse("pipeline")).contains(Role.PIPELINE);
    assertThat(Role.parse("PIPELINE")).isEqualTo(Optional.empty());
    assertThat(List.of(Role.values()))
        .extracting(Role::id)
        .containsExactly("operator", "pipeline", "auditor");
  }
}
