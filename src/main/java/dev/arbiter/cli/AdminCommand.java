// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.auth.DataDir;
import dev.arbiter.auth.LocalCa;
import dev.arbiter.auth.Role;
import dev.arbiter.auth.RoleMap;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arbiter admin issue-cert}: local administration of the data directory. */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Administer the data directory (run where the CA key is).",
    subcommands = {AdminCommand.IssueCert.class, AdminCommand.RotateKey.class})
final class AdminCommand {

  @Command(
      name = "issue-cert",
      mixinStandardHelpOptions = true,
      description =
          "Issue a client certificate from Arbiter's CA and map it to a role in roles.json (takes"
              + " effect without restart).")
  static final class IssueCert implements Callable<Integer> {
    @Option(names = "--role", required = true, description = "operator, pipeline or auditor.")
    String role;

    @Option(
        names = "--name",
        required = true,
        description = "Principal name (recorded in audit records).")
    String name;

    @Option(
        names = "--data-dir",
        description = "Data directory (default: $ARBITER_DATA_DIR or ./arbiter-data).")
    Path dataDir;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Role parsed =
          Role.parse(role)
              .orElseThrow(
                  () -> CliException.usage("--role must be operator, pipeline or auditor"));
      Path dir = ClientOptions.resolveDataDir(dataDir);
      DataDir data = new DataDir(dir);
      try {
        LocalCa ca = LocalCa.load(data, Clock.systemUTC());
        LocalCa.Issued issued = ca.issueClient(name, parsed, new RoleMap(data.roles()));
        var out = spec.commandLine().getOut();
        if (json) {
          out.println(
              dev.arbiter.internal.Json.writePretty(
                  Map.of(
                      "name",
                      name,
                      "role",
                      parsed.id(),
                      "certificate",
                      issued.certificate().toString(),
                      "key",
                      issued.key().toString(),
                      "fingerprint",
                      issued.fingerprint(),
                      "ca",
                      data.caCertificate().toString())));
        } else {
          out.println("issued " + parsed.id() + " certificate for " + name);
          out.println("  certificate " + issued.certificate());
          out.println("  key         " + issued.key());
          out.println("  ca          " + data.caCertificate());
          out.println("  sha256      " + issued.fingerprint());
        }
        return ExitCode.OK;
      } catch (IOException e) {
        throw CliException.usage(e.getMessage());
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }
  }

  @Command(
      name = "rotate-key",
      mixinStandardHelpOptions = true,
      description =
          "Rotate the service key that signs revisions, audit records and results (audited; restart"
              + " running replicas afterwards).")
  static final class RotateKey implements Callable<Integer> {
    @Option(names = "--reason", required = true)
    String reason;

    @Option(
        names = "--data-dir",
        description = "Data directory (default: $ARBITER_DATA_DIR or ./arbiter-data).")
    Path dataDir;

    @Option(
        names = "--database-url",
        description = "External PostgreSQL (default: $ARBITER_DATABASE_URL or the embedded one).")
    String databaseUrl;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Path dir = ClientOptions.resolveDataDir(dataDir);
      DataDir data = new DataDir(dir);
      String url = databaseUrl != null ? databaseUrl : System.getenv("ARBITER_DATABASE_URL");
      try {
        var rotated =
            dev.arbiter.store.LocalDatabase.with(
                data.database(),
                java.util.Optional.ofNullable(url).filter(u -> !u.isBlank()),
                database -> {
                  try {
                    return dev.arbiter.governance.KeyRotation.rotate(
                        data, database, "local-admin@" + data.root(), reason, Clock.systemUTC());
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
        spec.commandLine()
            .getOut()
            .println(
                "rotated service key "
                    + rotated.oldKeyId()
                    + " -> "
                    + rotated.newKeyId()
                    + "; restart running replicas");
        return ExitCode.OK;
      } catch (java.io.UncheckedIOException e) {
        throw CliException.usage(e.getCause().getMessage());
      } catch (dev.arbiter.store.StoreException e) {
        throw CliException.usage(e.getMessage());
      }
    }
  }
}
