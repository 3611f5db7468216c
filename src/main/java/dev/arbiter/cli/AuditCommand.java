// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.governance.IntegrityCheck;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import dev.arbiter.store.LocalDatabase;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter audit verify}: re-verifies the hash chains and signatures straight from the
 * database.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Audit log tools.",
    subcommands = {AuditCommand.Verify.class})
final class AuditCommand {

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Re-verify every policy revision and audit record (hash links and signatures) from the"
              + " database; works with the server running or stopped. Exit 1 lists every broken"
              + " record.")
  static final class Verify implements Callable<Integer> {
    @Option(
        names = "--data-dir",
        description =
            "Data directory with the embedded database (default: $ARBITER_DATA_DIR or"
                + " ./arbiter-data).")
    Path dataDir;

    @Option(
        names = "--database-url",
        description = "External PostgreSQL instead (default: $ARBITER_DATABASE_URL).")
    String databaseUrl;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      String url = databaseUrl != null ? databaseUrl : System.getenv("ARBITER_DATABASE_URL");
      IntegrityCheck.Report report;
      if (url != null && !url.isBlank()) {
        try (Database database = Database.open(new Database.Location.External(url), false)) {
          report = IntegrityCheck.run(database);
        } catch (dev.arbiter.store.StoreException e) {
          throw CliException.usage(e.getMessage());
        }
      } else {
        Path dir = ClientOptions.resolveDataDir(dataDir);
        try {
          report =
              LocalDatabase.withReadOnly(
                  new dev.arbiter.auth.DataDir(dir).database(), IntegrityCheck::run);
        } catch (dev.arbiter.store.StoreException e) {
          throw CliException.usage(e.getMessage());
        }
      }
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.writePretty(report));
      } else {
        for (IntegrityCheck.Finding finding : report.findings()) {
          out.println(
              "BROKEN " + finding.table() + " " + finding.record() + ": " + finding.problem());
        }
        out.println(
            (report.intact() ? "intact: " : "BROKEN: ")
                + report.revisionsChecked()
                + " policy revisions and "
                + report.auditRecordsChecked()
                + " audit records checked, "
                + report.findings().size()
                + " finding(s)");
      }
      out.flush();
      return report.intact() ? ExitCode.OK : ExitCode.REFUSED;
    }
  }
}
