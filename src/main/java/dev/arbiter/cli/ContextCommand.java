// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.auth.ClientContexts;
import dev.arbiter.internal.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter context list|use|add|remove|show}: named client contexts (server, CA, client
 * certificate) in {@code $ARBITER_CONFIG} or {@code ~/.config/arbiter/config.json}.
 */
@Command(
    name = "context",
    mixinStandardHelpOptions = true,
    description =
        "Named client contexts (server URL, CA, client certificate) in $ARBITER_CONFIG or"
            + " ~/.config/arbiter/config.json. Precedence: flags > environment > current context >"
            + " ./arbiter-data/client.json.",
    subcommands = {
      ContextCommand.ListContexts.class,
      ContextCommand.Use.class,
      ContextCommand.Add.class,
      ContextCommand.Remove.class,
      ContextCommand.Show.class
    })
final class ContextCommand {

  static Path file() {
    return ClientContexts.location(Env.all());
  }

  static ClientContexts read() {
    Path file = file();
    try {
      return ClientContexts.read(file);
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + ErrorHandler.oneLine(e.getMessage()));
    }
  }

  static void write(ClientContexts contexts) {
    Path file = file();
    try {
      contexts.write(file);
    } catch (IOException e) {
      throw CliException.usage(
          "cannot write " + file + ": " + ErrorHandler.oneLine(e.getMessage()));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the contexts.")
  static final class ListContexts implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      ClientContexts contexts = read();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.writePretty(contexts));
        return ExitCode.OK;
      }
      if (contexts.contexts().isEmpty()) {
        out.println("no contexts in " + file() + " (add one with 'arbiter context add')");
        return ExitCode.OK;
      }
      contexts
          .contexts()
          .forEach((name, context) ->
              out.println(
                  (name.equals(contexts.current()) ? "* " : "  ")
                      + name
                      + "  "
                      + (context.server() == null ? "-" : context.server())));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "use",
      mixinStandardHelpOptions = true,
      description = "Make a context the current one.")
  static final class Use implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      ClientContexts contexts = read();
      if (!contexts.contexts().containsKey(name)) {
        throw CliException.usage(
            "no context named '" + name + "' in " + file() + "; see 'arbiter context list'");
      }
      write(contexts.use(name));
      spec.commandLine().getOut().println("current context: " + name + " (" + file() + ")");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Add or replace a context (paths are stored absolute; the first context becomes"
              + " current).")
  static final class Add implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--server", paramLabel = "URL", required = true, description = "Server URL.")
    String server;

    @Option(
        names = {"--cacert", "--ca"},
        paramLabel = "FILE",
        required = true,
        description = "CA certificate to trust.")
    Path cacert;

    @Option(names = "--cert", paramLabel = "FILE", description = "Client certificate (PEM).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "Client key (PEM).")
    Path key;

    @Option(names = "--use", description = "Make it the current context.")
    boolean use;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if ((cert == null) != (key == null)) {
        throw CliException.usage("--cert and --key go together");
      }
      try {
        ClientContexts.requireValidName(name);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      if (!server.startsWith("https://")) {
        throw CliException.usage("--server must be an https:// URL");
      }
      for (Path file : new Path[] {cacert, cert, key}) {
        if (file != null && !Files.isRegularFile(file)) {
          throw CliException.usage("not a readable file: " + file);
        }
      }
      ClientContexts updated =
          read()
              .with(
                  name,
                  new ClientContexts.Context(
                      server, absolute(cacert), absolute(cert), absolute(key)));
      if (use) {
        updated = updated.use(name);
      }
      write(updated);
      spec.commandLine()
          .getOut()
          .println(
              "context "
                  + name
                  + " saved in "
                  + file()
                  + (name.equals(updated.current()) ? " (current)" : ""));
      return ExitCode.OK;
    }

    private static String absolute(Path path) {
      return path == null ? null : path.toAbsolutePath().normalize().toString();
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a context.")
  static final class Remove implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      ClientContexts contexts = read();
      if (!contexts.contexts().containsKey(name)) {
        throw CliException.usage("no context named '" + name + "' in " + file());
      }
      write(contexts.without(name));
      spec.commandLine().getOut().println("removed context " + name);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Show what a client command would use: the server, the CA and the client certificate,"
              + " and where each comes from.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      ClientSettings settings = client.settings();
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("config_file", file().toString());
      view.put("current_context", read().current());
      view.put("server", settings.server());
      view.put("cacert", settings.ca().toString());
      view.put("cert", settings.cert() == null ? null : settings.cert().toString());
      view.put("key", settings.key() == null ? null : settings.key().toString());
      view.put("sources", settings.sources());
      PrintWriter out = spec.commandLine().getOut();
      if (client.json()) {
        out.println(Json.writePretty(view));
      } else {
        view.forEach((k, v) -> {
          if (!k.equals("sources")) {
            out.println(k + ": " + (v == null ? "-" : v));
          }
        });
        out.println(settings.describe());
      }
      return ExitCode.OK;
    }
  }
}
