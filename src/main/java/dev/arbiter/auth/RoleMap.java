// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code roles.json}: client certificate SHA-256 fingerprint to {@code {"role", "name"}}. Reloaded
 * when the file changes, so {@code admin issue-cert} takes effect without a restart; deleting an
 * entry revokes that certificate. Thread-safe.
 */
public final class RoleMap {
  /** One mapping. */
  public record Entry(Role role, String name) {}

  private final Path file;
  private volatile Map<String, Entry> entries = Map.of();
  private volatile FileTime loadedAt = FileTime.fromMillis(0);

  public RoleMap(Path file) {
    this.file = file;
  }

  /** The mapping for a fingerprint (lowercase hex), reloading the file if it changed. */
  public Optional<Entry> lookup(String fingerprint) {
    reloadIfChanged();
    return Optional.ofNullable(entries.get(fingerprint.toLowerCase(java.util.Locale.ROOT)));
  }

  private void reloadIfChanged() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (!modified.equals(loadedAt)) {
        synchronized (this) {
          entries = read();
          loadedAt = modified;
        }
      }
    } catch (IOException e) {
      entries = Map.of();
    }
  }

  private Map<String, Entry> read() throws IOException {
    Map<String, Entry> out = new ConcurrentHashMap<>();
    JsonNode root = Json.readTree(Files.readAllBytes(file));
    root.fields()
        .forEachRemaining(field -> {
          Optional<Role> role = Role.parse(field.getValue().path("role").asText(""));
          role.ifPresent(r ->
              out.put(
                  field.getKey().toLowerCase(java.util.Locale.ROOT),
                  new Entry(r, field.getValue().path("name").asText("?"))));
        });
    return Map.copyOf(out);
  }

  /** Adds (or replaces) a mapping, writing the file atomically. */
  public synchronized void add(String fingerprint, Role role, String name) throws IOException {
    ObjectNode root =
        Files.exists(file)
            ? (ObjectNode) Json.readTree(Files.readAllBytes(file))
            : Json.mapper().createObjectNode();
    root.putObject(fingerprint.toLowerCase(java.util.Locale.ROOT))
        .put("role", role.id())
        .put("name", name);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, Json.writePretty(root) + "\n", StandardCharsets.UTF_8);
    Files.move(
        temp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
