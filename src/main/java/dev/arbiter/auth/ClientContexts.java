// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Named client contexts, like a kubeconfig: {@code $ARBITER_CONFIG}, else {@code
 * $XDG_CONFIG_HOME/arbiter/config.json}, else {@code ~/.config/arbiter/config.json}. Each context
 * names a server URL and the CA, client certificate and key files (absolute paths); {@code current}
 * names the context client commands use when neither flags nor environment say otherwise.
 *
 * @param current the current context's name, or null
 * @param contexts every context by name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientContexts(
    @JsonProperty("current") String current,
    @JsonProperty("contexts") Map<String, Context> contexts) {

  /** One context; a null field is not set by the context. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Context(
      @JsonProperty("server") String server,
      @JsonProperty("cacert") String cacert,
      @JsonProperty("cert") String cert,
      @JsonProperty("key") String key) {}

  public ClientContexts {
    contexts = contexts == null ? Map.of() : Map.copyOf(new TreeMap<>(contexts));
  }

  public static ClientContexts empty() {
    return new ClientContexts(null, Map.of());
  }

  /** The file the contexts live in, from the given environment. */
  public static Path location(Map<String, String> env) {
    String explicit = env.get("ARBITER_CONFIG");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("arbiter").resolve("config.json");
  }

  /** Reads the file, or an empty configuration when it does not exist. */
  public static ClientContexts read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return empty();
    }
    return Json.mapper().readValue(Files.readAllBytes(file), ClientContexts.class);
  }

  /** Writes the file atomically (mode 600 where the file system supports it). */
  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = parent.resolve(file.getFileName() + ".tmp");
    Files.writeString(temp, Json.writePretty(this) + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(
          temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep its defaults
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The current context, when one is set and defined. */
  public Optional<Context> currentContext() {
    return Optional.ofNullable(current).map(contexts::get);
  }

  /** This configuration with {@code name} added or replaced. */
  public ClientContexts with(String name, Context context) {
    requireValidName(name);
    Map<String, Context> all = new TreeMap<>(contexts);
    all.put(name, context);
    return new ClientContexts(current == null ? name : current, all);
  }

  /** This configuration with {@code name} removed (and no current context if it was current). */
  public ClientContexts without(String name) {
    Map<String, Context> all = new TreeMap<>(contexts);
    all.remove(name);
    return new ClientContexts(name.equals(current) ? null : current, all);
  }

  /** This configuration with {@code name} as the current context. */
  public ClientContexts use(String name) {
    if (!contexts.containsKey(name)) {
      throw new IllegalArgumentException("no context named " + name);
    }
    return new ClientContexts(name, contexts);
  }

  public static void requireValidName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException(
          "a context name is letters, digits, '.', '_', '-' (at most 64)");
    }
  }
}
