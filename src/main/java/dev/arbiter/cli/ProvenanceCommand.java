// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.ArtifactDigest;
import dev.arbiter.supplychain.provenance.ProvenanceOptions;
import dev.arbiter.supplychain.provenance.ProvenanceResult;
import dev.arbiter.supplychain.provenance.ProvenanceVerifier;
import dev.arbiter.supplychain.provenance.Signer;
import dev.arbiter.supplychain.provenance.Subject;
import dev.arbiter.supplychain.provenance.TrustedKey;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbiter provenance verify}: offline provenance verification (contract in CONTRACTS.md). */
@Command(
    name = "provenance",
    mixinStandardHelpOptions = true,
    description = "Verify signed build provenance offline.",
    subcommands = {ProvenanceCommand.Verify.class})
final class ProvenanceCommand {

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = "Verify a DSSE envelope or Sigstore bundle and its in-toto Statement; exit 0 valid, 1 invalid, 2 usage or I/O error.")
  static final class Verify implements Callable<Integer> {
    @Option(names = "--provenance", required = true, description = "DSSE envelope (JSON or JSON Lines), Sigstore bundle v0.1-v0.3, npm attestations or gcloud provenance JSON.")
    Path provenance;

    @Option(names = "--trusted-root", description = "Sigstore trusted_root.json (default: the pinned public-good root).")
    Path trustedRoot;

    @Option(names = "--key", description = "Trusted key: PEM SPKI or certificate, DER SPKI, JWK/JWKS or npm keys.json; repeatable.")
    List<Path> keys = new ArrayList<>();

    @ArgGroup(exclusive = true)
    Artifact artifact;

    static final class Artifact {
      @Option(names = "--artifact", description = "The artifact file a subject must match (SHA-256 and SHA-512).")
      Path file;

      @Option(names = "--digest", description = "The artifact digest a subject must match: sha256:HEX.")
      String digest;
    }

    @Option(names = "--builder-id", description = "Trusted builder id, compared exactly; repeatable.")
    List<String> builderIds = new ArrayList<>();

    @Option(names = "--certificate-identity", description = "Regular expression the certificate SAN must fully match.")
    String identity;

    @Option(names = "--certificate-oidc-issuer", description = "OIDC issuer the certificate must carry.")
    String issuer;

    @Option(names = "--at", description = "Verification time, RFC 3339 (default: the transparency-log integrated time).")
    String at;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      ProvenanceOptions options = options();
      ProvenanceResult result = ProvenanceVerifier.verify(Inputs.read(provenance), options);
      print(result);
      return result.valid() ? ExitCode.OK : ExitCode.REFUSED;
    }

    private ProvenanceOptions options() {
      ProvenanceOptions options = ProvenanceOptions.defaults();
      try {
        if (trustedRoot != null) {
          options = options.withTrustedRoot(TrustedRoot.parse(Inputs.read(trustedRoot)));
        }
        List<TrustedKey> trusted = new ArrayList<>();
        for (Path key : keys) {
          trusted.addAll(TrustedKey.parse(Inputs.read(key)));
        }
        options = options.withKeys(trusted);
      } catch (ProblemException e) {
        throw CliException.usage(e.problem().detail());
      }
      if (artifact != null && artifact.file != null) {
        options = options.withExpectedDigest(ArtifactDigest.of(Inputs.read(artifact.file)));
      } else if (artifact != null && artifact.digest != null) {
        try {
          options = options.withExpectedDigest(ArtifactDigest.parse(artifact.digest));
        } catch (IllegalArgumentException e) {
          throw CliException.usage("--digest: " + e.getMessage());
        }
      }
      Pattern pattern = null;
      if (identity != null) {
        try {
          pattern = Pattern.compile(identity);
        } catch (PatternSyntaxException e) {
          throw CliException.usage("--certificate-identity is not a regular expression: " + e.getDescription());
        }
      }
      options = options.withIdentity(pattern, issuer).withBuilderIds(new HashSet<>(builderIds));
      return at == null ? options : options.withAt(Inputs.parseTime(at));
    }

    private void print(ProvenanceResult result) {
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.writePretty(body(result)));
        return;
      }
      out.println("provenance: " + result.verdict());
      out.println("  predicate_type = " + result.predicateType());
      out.println("  builder_id = " + result.builderId());
      for (Subject subject : result.subjects()) {
        out.println("  subject " + subject.name() + " " + subject.digest());
      }
      Signer signer = result.signer();
      if (signer != null) {
        out.println("  signer " + signer.kind() + " key_id=" + signer.keyId() + " identity=" + signer.identity()
            + " issuer=" + signer.issuer() + " identity_checked=" + signer.identityChecked());
      }
      for (Problem problem : result.problems()) {
        out.println("  problem " + problem.type().slug() + ": " + problem.detail());
      }
    }

    static Map<String, Object> body(ProvenanceResult result) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("verdict", result.verdict());
      body.put("predicate_type", result.predicateType());
      body.put("builder_id", result.builderId());
      List<Map<String, Object>> subjects = new ArrayList<>();
      for (Subject subject : result.subjects()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", subject.name());
        entry.put("digest", subject.digest());
        subjects.add(entry);
      }
      body.put("subjects", subjects);
      Signer signer = result.signer();
      if (signer == null) {
        body.put("signer", null);
      } else {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("kind", signer.kind());
        entry.put("key_id", signer.keyId());
        entry.put("identity", signer.identity());
        entry.put("issuer", signer.issuer());
        entry.put("identity_checked", signer.identityChecked());
        body.put("signer", entry);
      }
      body.put("problems", ProblemJson.of(result.problems()));
      return body;
    }
  }
}
