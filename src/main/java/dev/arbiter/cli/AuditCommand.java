// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.crypto.Ed25519Key;
import dev.arbiter.governance.IntegrityCheck;
import dev.arbiter.governance.KeyRing;
import dev.arbiter.internal.Json;
import dev.arbiter.store.Database;
import dev.arbiter.store.LocalDatabase;
import dev.arbiter.tlog.CheckpointSigner;
import dev.arbiter.tlog.NoteVerifierKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
              + " database, that each is a leaf of the transparency log and each such leaf has its"
              + " record, the whole log tree, and that the log extends every --trusted-checkpoint;"
              + " works with the server running or stopped. Exit 1 lists every finding.")
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

    @Option(
        names = "--trusted-checkpoint",
        paramLabel = "FILE",
        description =
            "A signed checkpoint kept outside the database (by `arbiter log witness`, a client, a"
                + " monitor); repeatable. The current log must extend each one: a smaller log is"
                + " reported as a rollback, another root at its size as a fork.")
    List<Path> trustedCheckpoints = new ArrayList<>();

    @Option(
        names = "--log-key",
        description =
            "The log's pinned verifier key (origin+keyid+base64), obtained out of band (default:"
                + " the public half of tlog-checkpoint-key.pem in the data directory, named by"
                + " each checkpoint's origin).")
    String logKey;

    @Option(
        names = "--key-ring",
        paramLabel = "FILE",
        description =
            "The pinned service keys that verify revisions and records (default: service-keys.json"
                + " in the data directory); keys found only in the database are never trusted.")
    Path keyRingFile;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Path ringFile =
          keyRingFile != null
              ? keyRingFile
              : ClientOptions.resolveDataDir(dataDir).resolve(KeyRing.FILE);
      KeyRing ring;
      try {
        ring = KeyRing.load(ringFile);
      } catch (java.nio.file.NoSuchFileException e) {
        throw CliException.usage(
            "no key ring at " + ringFile + " (give --key-ring or --data-dir of the server)");
      } catch (IOException e) {
        throw CliException.usage("the key ring does not verify: " + e.getMessage());
      }
      String url = databaseUrl != null ? databaseUrl : System.getenv("ARBITER_DATABASE_URL");
      Optional<NoteVerifierKey> pinned =
          logKey == null ? Optional.empty() : Optional.of(LogCommand.parse(logKey, "--log-key"));
      List<IntegrityCheck.TrustedCheckpoint> trusted = new ArrayList<>();
      for (Path file : trustedCheckpoints) {
        String note = Inputs.readText(file);
        trusted.add(
            new IntegrityCheck.TrustedCheckpoint(
                file.toString(), note, pinned.orElseGet(() -> dataDirKey(note))));
      }
      Optional<NoteVerifierKey> storedKey =
          pinned.isPresent() || trusted.isEmpty() ? pinned : Optional.of(trusted.getFirst().key());
      IntegrityCheck.Report report;
      if (url != null && !url.isBlank()) {
        try (Database database = Database.open(new Database.Location.External(url), false)) {
          report = IntegrityCheck.run(database, ring, trusted, storedKey);
        } catch (dev.arbiter.store.StoreException e) {
          throw CliException.usage(e.getMessage());
        }
      } else {
        Path dir = ClientOptions.resolveDataDir(dataDir);
        try {
          report =
              LocalDatabase.withReadOnly(
                  new dev.arbiter.auth.DataDir(dir).database(),
                  database -> IntegrityCheck.run(database, ring, trusted, storedKey));
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
                + " audit records, "
                + report.leavesChecked()
                + " log leaves and "
                + report.trustedCheckpointsChecked()
                + " trusted checkpoint(s) checked, "
                + report.findings().size()
                + " finding(s)");
      }
      out.flush();
      return report.intact() ? ExitCode.OK : ExitCode.REFUSED;
    }

    /** The checkpoint key of the data directory, named by the note's origin line. */
    private NoteVerifierKey dataDirKey(String note) {
      Path keyFile = ClientOptions.resolveDataDir(dataDir).resolve(CheckpointSigner.KEY_FILE);
      if (!Files.isRegularFile(keyFile)) {
        throw CliException.usage(
            "no pinned log key: pass --log-key, or --data-dir with " + CheckpointSigner.KEY_FILE);
      }
      String origin = note.substring(0, Math.max(0, note.indexOf('\n')));
      try {
        return NoteVerifierKey.of(origin, Ed25519Key.load(keyFile).publicKey());
      } catch (IllegalArgumentException e) {
        throw CliException.usage(
            "the trusted checkpoint names an invalid origin: "
                + ErrorHandler.oneLine(e.getMessage()));
      } catch (IOException e) {
        throw CliException.usage("cannot read " + keyFile);
      }
    }
  }
}
