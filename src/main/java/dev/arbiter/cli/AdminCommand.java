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
    subcommands = {AdminCommand.IssueCert.class, CertsCommand.class, AdminCommand.RotateKey.class})
final class AdminCommand {

  @Command(
      name = "issue-cert",
      mixinStandardHelpOptions = true,
      description =
          "Issue a client certificate from Arbiter's CA and map it to a role in roles.json (takes"
              + " effect without restart). Issuing again for a name replaces its mapping: the"
              + " old certificate stops working.")
  static final class IssueCert implements Callable<Integer> {
    @Option(names = "--role", required = true, description = "operator, pipeline or auditor.")
    String role;

    @picocli.CommandLine.Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "NAME",
        description = "Principal name (recorded in audit records); or --name.")
    String positionalName;

    @Option(names = "--name", description = "Principal name (same as NAME).")
    String name;

    @Option(
        names = "--p12",
        paramLabel = "FILE",
        description =
            "Also write a PKCS#12 file (key, certificate, CA) for a browser to import (mode 600).")
    Path p12;

    @Option(
        names = "--p12-password-file",
        paramLabel = "FILE",
        description =
            "The PKCS#12 password ('-': standard input; default: $ARBITER_P12_PASSWORD, else empty:"
                + " the file is as protected as the PEM key beside it).")
    Path p12PasswordFile;

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
      if (positionalName != null && name != null && !positionalName.equals(name)) {
        throw CliException.usage("give the name once: NAME or --name");
      }
      String principal = positionalName != null ? positionalName : name;
      if (principal == null) {
        throw CliException.usage("a principal name is required: issue-cert NAME --role R");
      }
      if (p12PasswordFile != null && p12 == null) {
        throw CliException.usage("--p12-password-file is for --p12");
      }
      char[] password = p12 == null ? null : p12Password();
      Path dir = ClientOptions.resolveDataDir(dataDir);
      DataDir data = new DataDir(dir);
      try {
        LocalCa ca = LocalCa.load(data, Clock.systemUTC());
        LocalCa.Issued issued = ca.issueClient(principal, parsed, new RoleMap(data.roles()));
        if (p12 != null) {
          ca.writePkcs12(issued, principal, password, p12);
        }
        var out = spec.commandLine().getOut();
        if (json) {
          Map<String, Object> view = new java.util.LinkedHashMap<>();
          view.put("name", principal);
          view.put("role", parsed.id());
          view.put("certificate", issued.certificate().toString());
          view.put("key", issued.key().toString());
          view.put("fingerprint", issued.fingerprint());
          view.put("serial", issued.serial());
          view.put("not_after", issued.notAfter().toString());
          view.put("ca", data.caCertificate().toString());
          view.put("replaced", issued.replaced());
          if (p12 != null) {
            view.put("p12", p12.toString());
          }
          out.println(dev.arbiter.internal.Json.writePretty(view));
        } else {
          out.println("issued " + parsed.id() + " certificate for " + principal);
          out.println("  certificate " + issued.certificate());
          out.println("  key         " + issued.key());
          out.println("  ca          " + data.caCertificate());
          out.println("  sha256      " + issued.fingerprint());
          out.println("  serial      " + issued.serial());
          out.println("  not after   " + issued.notAfter());
          if (p12 != null) {
            out.println("  pkcs12      " + p12);
          }
          for (String old : issued.replaced()) {
            out.println("  replaced    " + old + " (no longer mapped here)");
          }
        }
        return ExitCode.OK;
      } catch (IOException e) {
        throw CliException.usage(e.getMessage());
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }

    private char[] p12Password() {
      if (p12PasswordFile != null) {
        String text =
            new String(Inputs.read(p12PasswordFile), java.nio.charset.StandardCharsets.UTF_8);
        return text.strip().toCharArray();
      }
      String env = Env.get("ARBITER_P12_PASSWORD");
      return env == null ? new char[0] : env.toCharArray();
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
