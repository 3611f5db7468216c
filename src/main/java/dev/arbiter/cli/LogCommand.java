// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbiter.crypto.Ed25519Key;
import dev.arbiter.internal.Json;
import dev.arbiter.tlog.Checkpoint;
import dev.arbiter.tlog.CheckpointSigner;
import dev.arbiter.tlog.ConsistencyProof;
import dev.arbiter.tlog.InclusionProof;
import dev.arbiter.tlog.LogEntry;
import dev.arbiter.tlog.NoteVerifierKey;
import dev.arbiter.tlog.ProofVerifier;
import dev.arbiter.tlog.Verification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arbiter log ...}: the transparency log from the outside: the latest checkpoint, a witness
 * that keeps checkpoints and checks each new one extends the last, and inclusion proofs of
 * decisions, verified offline with a pinned key.
 */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = "Transparency log: checkpoints, witnessing, inclusion proofs.",
    subcommands = {
      LogCommand.CheckpointCmd.class,
      LogCommand.Witness.class,
      LogCommand.Proof.class,
      LogCommand.VerifyProof.class
    })
final class LogCommand {
  static final String PINNED_KEY_FILE = "log-key.txt";
  static final String LATEST = "latest";

  /** The pinned verifier key options. */
  static final class KeyOptions {
    @Option(
        names = "--log-key",
        description = "The log's pinned verifier key (origin+keyid+base64), obtained out of band.")
    String key;

    @Option(names = "--log-key-file", description = "File holding the pinned verifier key.")
    Path keyFile;

    /** The key given on the command line, if any. */
    Optional<NoteVerifierKey> given() {
      if (key != null && keyFile != null) {
        throw CliException.usage("give --log-key or --log-key-file, not both");
      }
      if (key != null) {
        return Optional.of(parse(key, "--log-key"));
      }
      if (keyFile != null) {
        return Optional.of(parse(readText(keyFile).strip(), keyFile.toString()));
      }
      return Optional.empty();
    }
  }

  @Command(
      name = "checkpoint",
      mixinStandardHelpOptions = true,
      description =
          "Print the server's latest signed checkpoint (not verified: use 'log witness' to verify"
              + " and keep it).")
  static final class CheckpointCmd implements Callable<Integer> {
    @Mixin TeeOptions tee;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      String note = tee.client().getText("/v1/log/checkpoint");
      var out = spec.commandLine().getOut();
      if (tee.json()) {
        Map<String, Object> body = new LinkedHashMap<>();
        try {
          Checkpoint checkpoint = Checkpoint.parse(note.substring(0, note.indexOf("\n\n") + 1));
          body.put("origin", checkpoint.origin());
          body.put("tree_size", checkpoint.size());
          body.put("root_hash", Base64.getEncoder().encodeToString(checkpoint.rootHash()));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
          throw CliException.refused(
              "the server's checkpoint is malformed: " + ErrorHandler.oneLine(e.getMessage()));
        }
        body.put("note", note);
        out.println(Json.writePretty(body));
      } else {
        out.print(note);
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(
      name = "witness",
      mixinStandardHelpOptions = true,
      description = {
        "Fetch the latest checkpoint, verify it with the pinned key and that it extends the last"
            + " one kept in --checkpoint-dir (consistency proof), then keep it"
            + " (DIR/<size>.checkpoint, DIR/latest).",
        "The pinned key is --log-key / --log-key-file, else DIR/log-key.txt, else the checkpoint"
            + " key in the server's data directory (--data-dir) when run next to the server; the"
            + " key used first is written to DIR/log-key.txt and a different key later is refused."
            + " Never the key the server serves.",
        "Exit 0 ok, 1 bad signature, rollback (smaller tree) or fork (failed consistency proof), 2"
            + " usage or I/O."
      })
  static final class Witness implements Callable<Integer> {
    @Option(
        names = "--checkpoint-dir",
        required = true,
        description = "Where the witness keeps checkpoints.")
    Path dir;

    @Mixin KeyOptions keys;
    @Mixin TeeOptions tee;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Files.createDirectories(dir);
      ApiClient client = tee.client();
      String note = client.getText("/v1/log/checkpoint");
      NoteVerifierKey key = pinnedKey(note);
      ProofVerifier verifier = new ProofVerifier(key, key.name());
      Checkpoint current = verified(verifier.verifyCheckpoint(note), "the server's checkpoint");
      Path latest = dir.resolve(LATEST);
      long previousSize = -1;
      if (Files.exists(latest)) {
        String oldNote = readText(latest);
        Checkpoint previous =
            verified(verifier.verifyCheckpoint(oldNote), "the kept checkpoint " + latest);
        previousSize = previous.size();
        if (current.size() < previous.size()) {
          throw CliException.refused(
              "rollback: the log's tree (size "
                  + current.size()
                  + ") is smaller than the kept checkpoint (size "
                  + previous.size()
                  + ")");
        }
        ConsistencyProof proof;
        try {
          proof =
              ConsistencyProof.fromJson(
                  client
                      .get("/v1/log/consistency?from=" + previous.size() + "&to=" + current.size())
                      .toString());
        } catch (IOException e) {
          throw CliException.refused(
              "fork: the server's consistency proof is malformed: "
                  + ErrorHandler.oneLine(e.getMessage()));
        } catch (CliException e) {
          throw e.exitCode() == ExitCode.REFUSED
              ? CliException.refused(
                  "fork: no consistency proof from size "
                      + previous.size()
                      + " to "
                      + current.size()
                      + " ("
                      + e.getMessage()
                      + ")")
              : e;
        }
        Verification consistent = verifier.verifyConsistency(oldNote, note, proof);
        if (!consistent.ok()) {
          throw CliException.refused(
              "fork: the log at size "
                  + current.size()
                  + " does not extend the kept checkpoint at size "
                  + previous.size()
                  + " ("
                  + consistent
                  + ")");
        }
      }
      write(dir.resolve(current.size() + ".checkpoint"), note);
      write(latest, note);
      var out = spec.commandLine().getOut();
      out.println(
          previousSize < 0
              ? "ok: kept checkpoint " + key.name() + " size " + current.size() + " (first)"
              : "ok: checkpoint "
                  + key.name()
                  + " size "
                  + current.size()
                  + " extends size "
                  + previousSize);
      out.flush();
      return ExitCode.OK;
    }

    private NoteVerifierKey pinnedKey(String note) throws IOException {
      Path pinnedFile = dir.resolve(PINNED_KEY_FILE);
      Optional<NoteVerifierKey> pinned =
          Files.exists(pinnedFile)
              ? Optional.of(parse(readText(pinnedFile).strip(), pinnedFile.toString()))
              : Optional.empty();
      Optional<NoteVerifierKey> given = keys.given();
      if (given.isPresent()) {
        if (pinned.isPresent() && !pinned.get().equals(given.get())) {
          throw CliException.refused(
              "the given log key differs from the key pinned in "
                  + pinnedFile
                  + " (remove that file only if the log's key really changed)");
        }
        if (pinned.isEmpty()) {
          write(pinnedFile, given.get().encoded() + "\n");
        }
        return given.get();
      }
      if (pinned.isPresent()) {
        return pinned.get();
      }
      Path keyFile = ClientOptions.resolveDataDir(tee.dataDir).resolve(CheckpointSigner.KEY_FILE);
      if (Files.isRegularFile(keyFile)) {
        // the server's own key file: its public key is what we pin; the name is the checkpoint's
        // origin line
        String origin = note.substring(0, Math.max(0, note.indexOf('\n')));
        NoteVerifierKey own;
        try {
          own = NoteVerifierKey.of(origin, Ed25519Key.load(keyFile).publicKey());
        } catch (IllegalArgumentException e) {
          throw CliException.refused(
              "the server's checkpoint names an invalid origin: "
                  + ErrorHandler.oneLine(e.getMessage()));
        }
        // pinned like a given key, so later runs (and 'log verify-proof --log-key-file') use it
        write(pinnedFile, own.encoded() + "\n");
        return own;
      }
      throw CliException.usage(
          "no pinned log key: pass --log-key (obtained out of band, e.g. from the server's data"
              + " directory), or keep it in "
              + pinnedFile);
    }
  }

  @Command(
      name = "proof",
      mixinStandardHelpOptions = true,
      description =
          "Fetch the decision leaf logged for an EAR (--jti) and its inclusion proof against the"
              + " latest checkpoint, as JSON {\"leaf\": ..., \"proof\": ...}; verify it offline"
              + " with 'log verify-proof'.")
  static final class Proof implements Callable<Integer> {
    @Option(names = "--jti", required = true, description = "The EAR's jti.")
    String jti;

    @Option(
        names = "--out",
        description = "Write the proof to this file instead of standard output.")
    Path out;

    @Mixin TeeOptions tee;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      JsonNode proof = tee.client().get("/v1/log/proof?jti=" + ApiClient.encode(jti));
      String text = Json.writePretty(proof) + "\n";
      if (out != null) {
        write(out, text);
      } else {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "verify-proof",
      mixinStandardHelpOptions = true,
      description =
          "Verify offline (no server) that a decision leaf is in the log: the proof file of 'log"
              + " proof', a signed checkpoint and the pinned key; print the decision. Exit 0 valid,"
              + " 1 invalid (naming why), 2 usage or I/O.")
  static final class VerifyProof implements Callable<Integer> {
    @Option(
        names = "--proof",
        required = true,
        description = "The proof file ({\"leaf\", \"proof\"}).")
    Path proofFile;

    @Option(
        names = "--checkpoint",
        required = true,
        description = "A signed checkpoint of the proof's tree size.")
    Path checkpointFile;

    @Mixin KeyOptions keys;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      NoteVerifierKey key =
          keys.given()
              .orElseThrow(() -> CliException.usage("--log-key or --log-key-file is required"));
      JsonNode file;
      try {
        file = Json.readTree(readText(proofFile));
      } catch (IOException e) {
        throw CliException.usage(proofFile + " is not JSON");
      }
      if (!(file instanceof ObjectNode object)
          || !object.path("leaf").isTextual()
          || !object.path("proof").isObject()) {
        throw CliException.usage(
            proofFile + " is not a proof file (want {\"leaf\": \"...\", \"proof\": {...}})");
      }
      String leaf = object.get("leaf").textValue();
      InclusionProof proof;
      try {
        proof = InclusionProof.fromJson(object.get("proof").toString());
      } catch (IOException e) {
        throw CliException.refused("malformed-proof: " + ErrorHandler.oneLine(e.getMessage()));
      }
      Verification result =
          new ProofVerifier(key, key.name()).verifyInclusion(readText(checkpointFile), leaf, proof);
      if (!result.ok()) {
        throw CliException.refused("invalid: " + result);
      }
      LogEntry entry;
      try {
        entry = LogEntry.parse(leaf);
      } catch (IllegalArgumentException e) {
        throw CliException.refused(
            "invalid: the leaf is in the log but is not a canonical entry: " + e.getMessage());
      }
      var out = spec.commandLine().getOut();
      JsonNode leafJson;
      try {
        leafJson = Json.readTree(leaf);
      } catch (IOException e) {
        throw CliException.refused("invalid: the leaf is not JSON");
      }
      if (json) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("verdict", "valid");
        body.put("leaf_index", proof.leafIndex());
        body.put("tree_size", proof.treeSize());
        body.set("entry", leafJson);
        out.println(Json.writePretty(body));
      } else {
        out.println(
            "valid: leaf "
                + proof.leafIndex()
                + " of tree size "
                + proof.treeSize()
                + " ("
                + entry.kind().wireName()
                + ")");
        out.println(Json.writePretty(leafJson.path("body")));
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  static NoteVerifierKey parse(String text, String where) {
    try {
      return NoteVerifierKey.parse(text);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("malformed log key in " + where + ": " + e.getMessage());
    }
  }

  static Checkpoint verified(Verification verification, String what) {
    if (verification instanceof Verification.Verified(Checkpoint checkpoint)) {
      return checkpoint;
    }
    throw CliException.refused(what + " does not verify with the pinned key: " + verification);
  }

  static String readText(Path file) {
    if (Inputs.isStdin(file)) {
      return Inputs.readText(file);
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + ErrorHandler.oneLine(e.getMessage()));
    }
  }

  /** Writes through a temporary file and an atomic move. */
  static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw CliException.usage(
          "cannot write " + file + ": " + ErrorHandler.oneLine(e.getMessage()));
    }
  }
}
