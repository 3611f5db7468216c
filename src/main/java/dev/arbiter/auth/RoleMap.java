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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * {@code roles.json}: client certificate SHA-256 fingerprint to {@code {"role", "name"}} (plus, for
 * certificates issued since issue 13, {@code serial}, {@code not_after} and {@code issued_at}).
 * Reloaded when the file changes, so {@code admin issue-cert} takes effect without a restart;
 * deleting an entry, or issuing a new certificate for the same name, unmaps the old certificate. A
 * server's map also consults the shared revocation set ({@link CertificateRevocations}): a revoked
 * certificate has no role. Thread-safe.
 */
public final class RoleMap {
  /** One mapping. */
  public record Entry(Role role, String name) {}

  /**
   * One issued certificate as roles.json records it.
   *
   * @param serial the certificate's serial number (lowercase hex), or null for older entries
   * @param notAfter its expiry, or null for older entries
   * @param issuedAt when it was issued, or null for older entries
   */
  public record Issued(
      String fingerprint,
      Role role,
      String name,
      String serial,
      Instant notAfter,
      Instant issuedAt) {}

  private final Path file;
  private final Predicate<String> revoked;
  private volatile Map<String, Issued> entries = Map.of();
  private volatile FileTime loadedAt = FileTime.fromMillis(0);

  /** A map without revocations (local tools that issue certificates). */
  public RoleMap(Path file) {
    this(file, fingerprint -> false);
  }

  /**
   * A map whose lookups refuse the fingerprints {@code revoked} holds (an in-memory test: the TLS
   * path issues no SQL).
   */
  public RoleMap(Path file, Predicate<String> revoked) {
    this.file = file;
    this.revoked = revoked;
  }

  /**
   * The mapping for a fingerprint (any case of hex), reloading the file if it changed; empty when
   * unmapped or revoked.
   */
  public Optional<Entry> lookup(String fingerprint) {
    String key = fingerprint.toLowerCase(Locale.ROOT);
    if (revoked.test(key)) {
      return Optional.empty();
    }
    reloadIfChanged();
    return Optional.ofNullable(entries.get(key))
        .map(issued -> new Entry(issued.role(), issued.name()));
  }

  /** Whether the certificate with this fingerprint was revoked. */
  public boolean isRevoked(String fingerprint) {
    return revoked.test(fingerprint.toLowerCase(Locale.ROOT));
  }

  /** Every mapped certificate (revoked ones included), by name then issue time. */
  public List<Issued> list() {
    reloadIfChanged();
    List<Issued> all = new ArrayList<>(entries.values());
    all.sort(
        Comparator.comparing(Issued::name)
            .thenComparing(Issued::issuedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    return all;
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

  private Map<String, Issued> read() throws IOException {
    Map<String, Issued> out = new ConcurrentHashMap<>();
    JsonNode root = Json.readTree(Files.readAllBytes(file));
    root.properties()
        .forEach(field -> {
          JsonNode value = field.getValue();
          Optional<Role> role = Role.parse(value.path("role").asText(""));
          String fingerprint = field.getKey().toLowerCase(Locale.ROOT);
          role.ifPresent(r ->
              out.put(
                  fingerprint,
                  new Issued(
                      fingerprint,
                      r,
                      value.path("name").asText("?"),
                      text(value, "serial"),
                      instant(value, "not_after"),
                      instant(value, "issued_at"))));
        });
    return Map.copyOf(out);
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static Instant instant(JsonNode node, String field) {
    try {
      return node.hasNonNull(field) ? Instant.parse(node.get(field).asText()) : null;
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** Adds (or replaces) a mapping, writing the file atomically. */
  public synchronized void add(String fingerprint, Role role, String name) throws IOException {
    update(root ->
        root.putObject(fingerprint.toLowerCase(Locale.ROOT))
            .put("role", role.id())
            .put("name", name));
  }

  /**
   * Maps a newly issued certificate and unmaps every other certificate of the same name (the old
   * certificate stops working here at once). Returns the fingerprints unmapped.
   */
  public synchronized List<String> replace(Issued issued) throws IOException {
    List<String> removed = new ArrayList<>();
    String key = issued.fingerprint().toLowerCase(Locale.ROOT);
    update(root -> {
      List<String> names = new ArrayList<>();
      root.fieldNames().forEachRemaining(names::add);
      for (String existing : names) {
        if (!existing.equalsIgnoreCase(key)
            && issued.name().equals(root.path(existing).path("name").asText(null))) {
          root.remove(existing);
          removed.add(existing.toLowerCase(Locale.ROOT));
        }
      }
      ObjectNode entry = root.putObject(key);
      entry.put("role", issued.role().id()).put("name", issued.name());
      if (issued.serial() != null) {
        entry.put("serial", issued.serial());
      }
      if (issued.notAfter() != null) {
        entry.put("not_after", issued.notAfter().toString());
      }
      if (issued.issuedAt() != null) {
        entry.put("issued_at", issued.issuedAt().toString());
      }
    });
    return removed;
  }

  private void update(java.util.function.Consumer<ObjectNode> change) throws IOException {
    ObjectNode root =
        Files.exists(file)
            ? (ObjectNode) Json.readTree(Files.readAllBytes(file))
            : Json.mapper().createObjectNode();
    change.accept(root);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, Json.writePretty(root) + "\n", StandardCharsets.UTF_8);
    Files.move(
        temp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
