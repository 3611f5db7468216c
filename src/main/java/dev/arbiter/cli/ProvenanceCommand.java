// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.ArtifactDigest;
import dev.arbiter.supplychain.provenance.ProvenanceOptions;
import dev.arbiter.supplychain.provenance.ProvenanceResult;
import dev.arbiter.supplychain.provenance.ProvenanceVerifier;
import dev.arbiter.supplychain.provenance.core.IdentityPolicy;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.core.Subject;
import dev.arbiter.supplychain.provenance.core.TrustedKey;
import dev.arbiter.supplychain.provenance.sigstore.TrustedRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arbiter provenance verify}: offline provenance verification (contract in CONTRACTS.md).
 */
@Command(
    name = "provenance",
    mixinStandardHelpOptions = true,
    description = "Verify signed build provenance offline.",
    subcommands = {ProvenanceCommand.Verify.class})
final class ProvenanceCommand {

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Verify a DSSE envelope or Sigstore bundle and its in-toto Statement; exit 0 valid, 1"
            + " invalid, 2 usage or I/O error.",
        "A keyless signature is accepted only with an identity (--certificate-identity or"
            + " --certificate-identity-regexp) and an issuer (--certificate-oidc-issuer or"
            + " --certificate-oidc-issuer-regexp) requirement, or with --insecure-ignore-identity.",
        "A file with several signed items (e.g. npm attestations) is valid only when every item"
            + " verifies; each is listed under items."
      })
  static final class Verify implements Callable<Integer> {
    @Option(
        names = "--provenance",
        required = true,
        description =
            "DSSE envelope (JSON or JSON Lines), Sigstore bundle v0.1-v0.3, npm attestations or"
                + " gcloud provenance JSON.")
    Path provenance;

    @Option(
        names = "--trusted-root",
        description = "Sigstore trusted_root.json (default: the pinned public-good root).")
    Path trustedRoot;

    @Option(
        names = "--key",
        description =
            "Trusted key: PEM SPKI or certificate, DER SPKI, JWK/JWKS or npm keys.json;"
                + " repeatable.")
    List<Path> keys = new ArrayList<>();

    @ArgGroup(exclusive = true)
    Artifact artifact;

    static final class Artifact {
      @Option(
          names = "--artifact",
          description = "The artifact file a subject must match (SHA-256 and SHA-512).")
      Path file;

      @Option(
          names = "--digest",
          description = "The artifact digest a subject must match: sha256:HEX.")
      String digest;
    }

    @Option(
        names = "--builder-id",
        description = "Trusted builder id, compared exactly; repeatable.")
    List<String> builderIds = new ArrayList<>();

    @ArgGroup(exclusive = true)
    IdentityOption identity;

    static final class IdentityOption {
      @Option(
          names = "--certificate-identity",
          description =
              "Identity (SAN URI or e-mail) the signing certificate must carry, compared exactly.")
      String exact;

      @Option(
          names = "--certificate-identity-regexp",
          description = "Regular expression the certificate identity must fully match.")
      String regexp;
    }

    @ArgGroup(exclusive = true)
    IssuerOption issuer;

    static final class IssuerOption {
      @Option(
          names = "--certificate-oidc-issuer",
          description = "OIDC issuer the signing certificate must carry, compared exactly.")
      String exact;

      @Option(
          names = "--certificate-oidc-issuer-regexp",
          description = "Regular expression the certificate OIDC issuer must fully match.")
      String regexp;
    }

    @Option(
        names = "--insecure-ignore-identity",
        description =
            "Accept keyless signatures without both an identity and an issuer requirement (as in"
                + " cosign; given requirements are still checked).")
    boolean insecureIgnoreIdentity;

    @Option(
        names = "--at",
        description =
            "Verification time, RFC 3339 (default: the transparency-log integrated time).")
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
      List<IdentityPolicy.NameMatch> identities =
          identity == null
              ? List.of()
              : List.of(
                  identity.exact != null
                      ? IdentityPolicy.NameMatch.exact(identity.exact)
                      : regexp("--certificate-identity-regexp", identity.regexp));
      List<IdentityPolicy.NameMatch> issuers =
          issuer == null
              ? List.of()
              : List.of(
                  issuer.exact != null
                      ? IdentityPolicy.NameMatch.exact(issuer.exact)
                      : regexp("--certificate-oidc-issuer-regexp", issuer.regexp));
      options =
          options
              .withIdentity(new IdentityPolicy(identities, issuers, insecureIgnoreIdentity))
              .withBuilderIds(new HashSet<>(builderIds));
      return at == null ? options : options.withAt(Inputs.parseTime(at));
    }

    private static IdentityPolicy.NameMatch regexp(String option, String text) {
      try {
        return IdentityPolicy.NameMatch.regexp(Pattern.compile(text));
      } catch (PatternSyntaxException e) {
        throw CliException.usage(option + " is not a regular expression: " + e.getDescription());
      }
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
        out.println(
            "  signer "
                + signer.kind()
                + " key_id="
                + signer.keyId()
                + " identity="
                + signer.identity()
                + " issuer="
                + signer.issuer()
                + " identity_checked="
                + signer.identityChecked());
      }
      if (result.items().size() > 1) {
        for (int i = 0; i < result.items().size(); i++) {
          ProvenanceResult item = result.items().get(i);
          out.println(
              "  item "
                  + (i + 1)
                  + ": "
                  + item.verdict()
                  + " predicate_type="
                  + item.predicateType()
                  + (item.signer() == null
                      ? ""
                      : " signer="
                          + item.signer().kind()
                          + ":"
                          + (item.signer().identity() != null
                              ? item.signer().identity()
                              : item.signer().keyId())));
        }
      }
      for (Problem problem : result.problems()) {
        out.println("  problem " + problem.type().slug() + ": " + problem.detail());
      }
    }

    /** The contract's JSON body (CONTRACTS.md); field order is the output order. */
    record Body(
        @JsonProperty("verdict") String verdict,
        @JsonProperty("predicate_type") String predicateType,
        @JsonProperty("builder_id") String builderId,
        @JsonProperty("subjects") List<SubjectBody> subjects,
        @JsonProperty("signer") SignerBody signer,
        @JsonProperty("items") List<ItemBody> items,
        @JsonProperty("problems") List<Map<String, String>> problems) {}

    /** One signed item of the file with its own verdict. */
    record ItemBody(
        @JsonProperty("verdict") String verdict,
        @JsonProperty("predicate_type") String predicateType,
        @JsonProperty("builder_id") String builderId,
        @JsonProperty("subjects") List<SubjectBody> subjects,
        @JsonProperty("signer") SignerBody signer,
        @JsonProperty("problems") List<Map<String, String>> problems) {}

    record SubjectBody(
        @JsonProperty("name") String name, @JsonProperty("digest") Map<String, String> digest) {}

    record SignerBody(
        @JsonProperty("kind") String kind,
        @JsonProperty("key_id") String keyId,
        @JsonProperty("identity") String identity,
        @JsonProperty("issuer") String issuer,
        @JsonProperty("identity_checked") boolean identityChecked) {}

    static Body body(ProvenanceResult result) {
      List<ItemBody> items =
          result.items().stream()
              .map(item ->
                  new ItemBody(
                      item.verdict(),
                      item.predicateType(),
                      item.builderId(),
                      subjects(item),
                      signer(item.signer()),
                      ProblemJson.of(item.problems())))
              .toList();
      return new Body(
          result.verdict(),
          result.predicateType(),
          result.builderId(),
          subjects(result),
          signer(result.signer()),
          items,
          ProblemJson.of(result.problems()));
    }

    private static List<SubjectBody> subjects(ProvenanceResult result) {
      return result.subjects().stream().map(s -> new SubjectBody(s.name(), s.digest())).toList();
    }

    private static SignerBody signer(Signer signer) {
      return signer == null
          ? null
          : new SignerBody(
              signer.kind(),
              signer.keyId(),
              signer.identity(),
              signer.issuer(),
              signer.identityChecked());
    }
  }
}
