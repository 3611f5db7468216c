// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.governance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.PemKeys;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Jcs;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The pinned verification keys of Arbiter's service key, kept in the data directory ({@code
 * service-keys.json}) — never in the database they protect. An ordered chain: the first key signs
 * its own entry (proof of possession); every later key's entry is signed by the key before it, so a
 * rotation is a record signed by the previous key. Verification of policy revisions, audit records,
 * EARs (key broker) and the JWKS all use these keys; a {@code service_key} row that is not here is
 * never trusted (and {@code audit verify} reports it). Replicas share the ring with the private key
 * (same data directory files or the same PKCS#11 token plus this file). Immutable; {@link
 * #withRotation} returns a new ring.
 */
public final class KeyRing {
  /** The file name in the data directory. */
  public static final String FILE = "service-keys.json";

  /** One key of the chain; {@code endorsement} signs {@link #signedPart()}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      @JsonProperty("kid") String keyId,
      @JsonProperty("jwk") JsonNode jwk,
      @JsonProperty("added_at") String addedAt,
      @JsonProperty("previous") String previous,
      @JsonProperty("endorsement") String endorsement) {

    /** The RFC 8785 bytes the endorsement signs: everything but the endorsement. */
    byte[] signedPart() {
      ObjectNode node = Json.mapper().createObjectNode();
      node.put("kid", keyId);
      node.set("jwk", jwk);
      node.put("added_at", addedAt);
      node.put("previous", previous);
      return Jcs.canonicalize(node);
    }
  }

  /** The ring file does not verify: which entry and why. */
  public static final class InvalidKeyRing extends IOException {
    private static final long serialVersionUID = 1L;

    InvalidKeyRing(String message) {
      super(message);
    }
  }

  private final List<Entry> entries;
  private final Map<String, ECKey> keys;

  private KeyRing(List<Entry> entries, Map<String, ECKey> keys) {
    this.entries = List.copyOf(entries);
    this.keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  /**
   * Loads the ring of {@code dir} and checks that {@code current} is its newest key. When the file
   * is absent (a new data directory, or one from an Arbiter before the ring), it is created from
   * the retired key files the rotation kept ({@code service-key-<kid>.retired.pem}, oldest first)
   * and {@code current}, each endorsed by the one before — keys from the database are never
   * adopted.
   */
  public static KeyRing loadOrCreate(Path dir, ServiceKey current, Instant now) throws IOException {
    Path file = dir.resolve(FILE);
    if (Files.exists(file)) {
      KeyRing ring = load(file);
      if (!ring.newest().keyId().equals(current.keyId())) {
        throw new InvalidKeyRing(
            "the service key "
                + current.keyId()
                + " is not the newest key of "
                + file
                + " ("
                + ring.newest().keyId()
                + "): restore the matching service-key.pem, or rotate with `arbiter admin"
                + " rotate-key`");
      }
      return ring;
    }
    List<ServiceKey> chain = new ArrayList<>();
    for (Path retired : retiredKeyFiles(dir)) {
      chain.add(ServiceKey.load(retired));
    }
    chain.add(current);
    KeyRing ring = new KeyRing(List.of(), Map.of());
    ServiceKey previous = null;
    for (ServiceKey key : chain) {
      if (ring.keys.containsKey(key.keyId())) {
        continue;
      }
      ring = ring.withRotation(previous, key, now);
      previous = key;
    }
    ring.save(file);
    return ring;
  }

  /** A ring of one key (a new data directory, tests). */
  public static KeyRing of(ServiceKey key, Instant at) {
    return new KeyRing(List.of(), Map.of()).withRotation(null, key, at);
  }

  /** Loads and verifies a ring file: every endorsement, the chain order, no duplicate. */
  public static KeyRing load(Path file) throws IOException {
    JsonNode root;
    try {
      root = Json.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new InvalidKeyRing(file + " is not JSON: " + e.getMessage());
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode node : root.path("keys")) {
      entries.add(Json.mapper().treeToValue(node, Entry.class));
    }
    return verify(entries, file.toString());
  }

  /** Verifies a chain of entries (also from a bundle or a replica): empty chains are refused. */
  public static KeyRing verify(List<Entry> entries, String source) throws InvalidKeyRing {
    if (entries.isEmpty()) {
      throw new InvalidKeyRing(source + " holds no key");
    }
    Map<String, ECKey> keys = new LinkedHashMap<>();
    ECKey previous = null;
    String previousId = null;
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      ECKey key;
      try {
        key = ECKey.parse(Json.write(entry.jwk()));
      } catch (ParseException e) {
        throw new InvalidKeyRing(source + ": key " + i + " is not an EC JWK");
      }
      String thumbprint;
      try {
        thumbprint = key.computeThumbprint().toString();
      } catch (com.nimbusds.jose.JOSEException e) {
        throw new InvalidKeyRing(source + ": key " + i + " has no thumbprint");
      }
      if (key.isPrivate()) {
        throw new InvalidKeyRing(source + ": key " + i + " holds a private key");
      }
      if (!thumbprint.equals(entry.keyId()) || !thumbprint.equals(key.getKeyID())) {
        throw new InvalidKeyRing(
            source + ": key " + i + " id " + entry.keyId() + " is not its JWK thumbprint");
      }
      if (keys.containsKey(thumbprint)) {
        throw new InvalidKeyRing(source + ": key " + thumbprint + " appears twice");
      }
      if (!java.util.Objects.equals(entry.previous(), previousId)) {
        throw new InvalidKeyRing(
            source + ": key " + thumbprint + " names " + entry.previous() + " as its predecessor");
      }
      ECKey signer = previous == null ? key : previous;
      if (entry.endorsement() == null
          || !ServiceKey.verify(signer, entry.signedPart(), entry.endorsement())) {
        throw new InvalidKeyRing(
            source
                + ": key "
                + thumbprint
                + (previous == null
                    ? " is not signed by itself"
                    : " is not signed by the previous key " + previousId));
      }
      keys.put(thumbprint, key);
      previous = key;
      previousId = thumbprint;
    }
    return new KeyRing(entries, keys);
  }

  /**
   * A ring with {@code next} appended, its entry signed by {@code previous} (null only for the
   * first key, which signs itself).
   */
  public KeyRing withRotation(ServiceKey previous, ServiceKey next, Instant at) {
    if (previous == null ? !entries.isEmpty() : !newest().keyId().equals(previous.keyId())) {
      throw new IllegalArgumentException("a rotation is signed by the ring's newest key");
    }
    JsonNode jwk = Json.mapper().valueToTree(next.publicJwk().toJSONObject());
    Entry unsigned =
        new Entry(
            next.keyId(), jwk, at.toString(), previous == null ? null : previous.keyId(), null);
    ServiceKey signer = previous == null ? next : previous;
    Entry signed =
        new Entry(
            unsigned.keyId(),
            unsigned.jwk(),
            unsigned.addedAt(),
            unsigned.previous(),
            signer.sign(unsigned.signedPart()));
    List<Entry> all = new ArrayList<>(entries);
    all.add(signed);
    Map<String, ECKey> allKeys = new LinkedHashMap<>(keys);
    allKeys.put(next.keyId(), next.publicJwk().toPublicJWK());
    return new KeyRing(all, allKeys);
  }

  /** Writes the ring atomically (temporary file, then move), mode 600. */
  public void save(Path file) throws IOException {
    Path staged = file.resolveSibling(file.getFileName() + ".new");
    ObjectNode root = Json.mapper().createObjectNode();
    root.set("keys", Json.mapper().valueToTree(entries));
    PemKeys.writeSecret(staged, (Json.writePretty(root) + "\n").getBytes(StandardCharsets.UTF_8));
    Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The entries, oldest first. */
  public List<Entry> entries() {
    return entries;
  }

  /** The newest entry (the key that signs now). */
  public Entry newest() {
    return entries.get(entries.size() - 1);
  }

  /** The pinned public key with this id, if any. */
  public Optional<ECKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** Key id to public key, every key of the ring. */
  public Map<String, ECKey> keys() {
    return keys;
  }

  /**
   * What is wrong with a sealed record ({@link ChainedRecord}: a policy revision, an audit record)
   * against this ring: its hash must be the SHA-256 of the RFC 8785 form of {@code body} (null when
   * the body is not JSON), and its signature over the hash must verify under the pinned key it
   * names. Empty when it verifies.
   */
  public List<String> problemsOf(JsonNode body, String hash, String keyId, String signature) {
    List<String> problems = new ArrayList<>();
    if (body == null) {
      problems.add("body is not JSON");
    } else if (!Hex.encode(Digests.sha256(Jcs.canonicalize(body))).equals(hash)) {
      problems.add("hash does not match the content");
    }
    ECKey key = keys.get(keyId);
    if (key == null) {
      problems.add("signed by " + keyId + ", a key not in the pinned key ring");
    } else if (hash == null
        || !Hex.isHex(hash)
        || hash.length() != 64
        || !ServiceKey.verify(key, Hex.decode(hash), signature)) {
      problems.add("signature does not verify");
    }
    return problems;
  }

  /** Every key, oldest first, as a public JWK set (what {@code /.well-known/jwks.json} serves). */
  public JWKSet jwks() {
    List<JWK> out = new ArrayList<>(keys.values());
    return new JWKSet(out);
  }

  private static List<Path> retiredKeyFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> {
            String name = p.getFileName().toString();
            return name.startsWith("service-key-") && name.endsWith(".retired.pem");
          })
          .sorted(Comparator.comparing(KeyRing::modified).thenComparing(Path::toString))
          .toList();
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }
}
