// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.auth.ClientConfig;
import dev.arbiter.auth.ClientContexts;
import dev.arbiter.auth.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a client command's server URL, CA certificate and client certificate come from. Each value
 * is taken from the first source that sets it, in this order (highest first):
 *
 * <ol>
 *   <li>flags: {@code --server}, {@code --cacert} ({@code --ca}), {@code --cert}, {@code --key},
 *       then the {@code client.json} of {@code --data-dir D};
 *   <li>environment: {@code ARBITER_SERVER}, {@code ARBITER_CACERT}, {@code ARBITER_CLIENT_CERT},
 *       {@code ARBITER_CLIENT_KEY}, then the {@code client.json} of {@code ARBITER_DATA_DIR};
 *   <li>the current context ({@code --context NAME}, {@code ARBITER_CONTEXT}, or the one {@code
 *       arbiter context use} chose) in {@code $ARBITER_CONFIG} or {@code
 *       ~/.config/arbiter/config.json};
 *   <li>{@code ./arbiter-data/client.json}.
 * </ol>
 *
 * A client certificate and its key come from the same source. Error messages name the sources used
 * ({@link #describe()}).
 *
 * @param server the server URL
 * @param ca the CA certificate to trust
 * @param cert the client certificate, or null (no client certificate)
 * @param key the client key, or null
 * @param sources which source gave the server, the CA and the certificate
 */
record ClientSettings(String server, Path ca, Path cert, Path key, List<String> sources) {

  /** One source of settings: a label for messages and the values it sets (null: not set). */
  record Source(String label, String server, Path ca, Path cert, Path key) {
    static Source of(String label, Path file, ClientConfig config) {
      return new Source(
          label,
          config.server(),
          config.ca() == null ? null : config.resolve(file, config.ca()),
          config.cert() == null ? null : config.resolve(file, config.cert()),
          config.key() == null ? null : config.resolve(file, config.key()));
    }
  }

  /** The flags a command was given (null when absent). */
  record Flags(String server, Path ca, Path cert, Path key, Path dataDir, String context) {}

  /** The sources in precedence order for the given flags and the process environment. */
  static List<Source> sources(Flags flags) {
    List<Source> sources = new ArrayList<>();
    sources.add(new Source("flags", flags.server(), flags.ca(), flags.cert(), flags.key()));
    if (flags.dataDir() != null) {
      sources.add(clientJson(flags.dataDir().resolve("client.json"), true, "--data-dir"));
    }
    sources.add(
        new Source(
            "environment",
            Env.get("ARBITER_SERVER"),
            path(Env.get("ARBITER_CACERT")),
            path(Env.get("ARBITER_CLIENT_CERT")),
            path(Env.get("ARBITER_CLIENT_KEY"))));
    String envDataDir = Env.get("ARBITER_DATA_DIR");
    if (flags.dataDir() == null && envDataDir != null) {
      sources.add(clientJson(Path.of(envDataDir).resolve("client.json"), true, "ARBITER_DATA_DIR"));
    }
    context(flags.context()).ifPresent(sources::add);
    if (flags.dataDir() == null && envDataDir == null) {
      Path local = DataDir.DEFAULT.resolve("client.json");
      if (Files.isRegularFile(local)) {
        sources.add(clientJson(local, false, null));
      }
    }
    return sources;
  }

  /** Resolves every value; a missing server or CA is a usage error naming where it looked. */
  static ClientSettings resolve(Flags flags, boolean needsCertificate) {
    List<Source> sources = sources(flags);
    Source server = first(sources, Source::server);
    Source ca = first(sources, Source::ca);
    Source credential = first(sources, s -> s.cert() != null ? s.cert() : s.key());
    if (server == null) {
      throw CliException.usage(
          "no server configured (looked at: "
              + labels(sources)
              + "); pass --server, set ARBITER_SERVER, add a context ('arbiter context add'), or"
              + " start 'arbiter serve' once to write ./arbiter-data/client.json");
    }
    if (ca == null) {
      throw CliException.usage(
          "no CA certificate configured (looked at: "
              + labels(sources)
              + "); pass --cacert or set ARBITER_CACERT");
    }
    Path cert = null;
    Path key = null;
    if (credential != null) {
      cert = credential.cert();
      key = credential.key();
      if (cert == null || key == null) {
        throw CliException.usage(
            credential.label()
                + " sets a client "
                + (cert == null ? "key but no certificate" : "certificate but no key")
                + " (--cert/--key, ARBITER_CLIENT_CERT/ARBITER_CLIENT_KEY go together)");
      }
    } else if (needsCertificate) {
      throw CliException.usage(
          "no client certificate configured (looked at: "
              + labels(sources)
              + "); pass --cert and --key, or set ARBITER_CLIENT_CERT and ARBITER_CLIENT_KEY");
    }
    Set<String> used = new LinkedHashSet<>();
    used.add("server " + server.server() + " from " + server.label());
    used.add("CA from " + ca.label());
    used.add(
        credential != null
            ? "certificate " + cert + " from " + credential.label()
            : "no client certificate");
    return new ClientSettings(server.server(), ca.ca(), cert, key, List.copyOf(used));
  }

  /** The sources, for error messages: {@code configuration: server ... from ..., ...}. */
  String describe() {
    return "configuration: " + String.join(", ", sources);
  }

  private static Source first(List<Source> sources, Function<Source, Object> value) {
    for (Source source : sources) {
      if (value.apply(source) != null) {
        return source;
      }
    }
    return null;
  }

  private static String labels(List<Source> sources) {
    List<String> labels = new ArrayList<>();
    for (Source source : sources) {
      labels.add(source.label());
    }
    if (sources.stream().noneMatch(s -> s.label().startsWith("context"))) {
      labels.add("no current context in " + ClientContexts.location(Env.all()));
    }
    if (sources.stream().noneMatch(s -> s.label().endsWith("client.json"))) {
      labels.add("no " + DataDir.DEFAULT.resolve("client.json"));
    }
    return String.join(", ", labels);
  }

  private static Path path(String value) {
    return value == null ? null : Path.of(value);
  }

  private static Source clientJson(Path file, boolean required, String via) {
    String label = file.toAbsolutePath().normalize() + (via == null ? "" : " (" + via + ")");
    if (!Files.isRegularFile(file)) {
      if (required) {
        throw CliException.usage(
            "no client configuration at "
                + file
                + (via == null ? "" : " (from " + via + ")")
                + "; start 'arbiter serve' once with that data directory");
      }
      return new Source(label, null, null, null, null);
    }
    try {
      return Source.of(label, file, ClientConfig.read(file));
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + ErrorHandler.oneLine(e.getMessage()));
    }
  }

  private static java.util.Optional<Source> context(String flag) {
    Path file = ClientContexts.location(Env.all());
    String wanted = flag != null ? flag : Env.get("ARBITER_CONTEXT");
    ClientContexts contexts;
    try {
      contexts = ClientContexts.read(file);
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + ErrorHandler.oneLine(e.getMessage()));
    }
    String name = wanted != null ? wanted : contexts.current();
    if (name == null) {
      return java.util.Optional.empty();
    }
    ClientContexts.Context context = contexts.contexts().get(name);
    if (context == null) {
      throw CliException.usage(
          "no context named '"
              + name
              + "' in "
              + file
              + (wanted != null ? "" : " (its current context)")
              + "; see 'arbiter context list'");
    }
    return java.util.Optional.of(
        new Source(
            "context " + name + " (" + file + ")",
            context.server(),
            path(context.cacert()),
            path(context.cert()),
            path(context.key())));
  }
}
