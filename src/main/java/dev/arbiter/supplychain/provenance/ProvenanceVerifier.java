// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance;

import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.supplychain.provenance.core.ProvenanceProblem;
import dev.arbiter.supplychain.provenance.core.Signer;
import dev.arbiter.supplychain.provenance.core.Subject;
import dev.arbiter.supplychain.provenance.dsse.Envelope;
import dev.arbiter.supplychain.provenance.intoto.Predicates;
import dev.arbiter.supplychain.provenance.intoto.Statement;
import dev.arbiter.supplychain.provenance.sigstore.Bundle;
import dev.arbiter.supplychain.provenance.sigstore.BundleVerifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies signed build provenance offline: DSSE envelopes (JSON or JSON Lines) with configured
 * keys, and Sigstore bundles v0.1 to v0.3 against a trusted root; then the in-toto Statement, its
 * predicate type, builder id and subject digest.
 *
 * <p>Security guarantee: a result is valid only when (1) a signature by a configured key, or by a
 * Fulcio certificate that chains to the trusted root at the transparency-log time (or the caller's
 * time) with a valid SCT and matching identity, verifies over exactly the payload reported; (2)
 * every transparency-log entry verifies and records that envelope; (3) the payload is an in-toto
 * Statement with a supported provenance predicate; (4) a subject carries the expected digest and
 * the builder id is trusted, when those are required; (5) in a file of several signed items, every
 * item satisfies (1) to (3); (6) a keyless signature was checked against a required identity and
 * issuer, unless the caller opted out. Nothing from the payload is parsed before its signature
 * verifies. Never reads wall time except through {@link ProvenanceOptions#clock()}; no network.
 * Thread-safe.
 */
public final class ProvenanceVerifier {
  private ProvenanceVerifier() {}

  /**
   * Problems about what the provenance says (not whether it verifies): one satisfying item is
   * enough.
   */
  private static final Set<ProvenanceProblem> POLICY_PROBLEMS =
      EnumSet.of(
          ProvenanceProblem.PROVENANCE_DIGEST_MISMATCH,
          ProvenanceProblem.PROVENANCE_BUILDER_UNTRUSTED);

  /**
   * Verifies a provenance file and fails closed when it holds several signed items (e.g. an npm
   * attestations document: a keyed publish attestation and a keyless SLSA provenance bundle): the
   * result is valid only when EVERY item verifies (signature, certificate, identity, transparency
   * log, Statement) and at least one item also satisfies the policy (expected digest, trusted
   * builder). {@code items} lists every item with its own verdict. The top-level fields describe
   * the primary item: the first fully satisfying item that carries a provenance predicate (not an
   * npm publish attestation), else the first fully satisfying item, else the first item. In a file
   * of several items every problem names its item ({@code item N: ...}).
   */
  public static ProvenanceResult verify(byte[] provenance, ProvenanceOptions options) {
    List<ProvenanceResult> results = verifyAll(provenance, options);
    if (results.size() == 1) {
      return results.get(0).withItems(results);
    }
    boolean satisfied = results.stream().anyMatch(ProvenanceResult::valid);
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      for (Problem problem : results.get(i).problems()) {
        if (!satisfied
            || !(problem.type() instanceof ProvenanceProblem type
                && POLICY_PROBLEMS.contains(type))) {
          problems.add(Problem.of(problem.type(), "item " + (i + 1) + ": " + problem.detail()));
        }
      }
    }
    ProvenanceResult primary =
        results.stream()
            .filter(r -> r.valid() && !isPublishAttestation(r))
            .findFirst()
            .or(() -> results.stream().filter(ProvenanceResult::valid).findFirst())
            .orElse(results.get(0));
    return new ProvenanceResult(
        problems.isEmpty(),
        primary.predicateType(),
        primary.builderId(),
        primary.subjects(),
        primary.signer(),
        primary.predicate(),
        primary.integratedTime(),
        primary.verifiedAt(),
        problems,
        results);
  }

  private static boolean isPublishAttestation(ProvenanceResult result) {
    return result.predicateType() != null
        && Predicates.kind(result.predicateType())
            .filter(k -> k == Predicates.Kind.NPM_PUBLISH_V01)
            .isPresent();
  }

  /** Verifies every signed item in a provenance file; one result per item, in file order. */
  public static List<ProvenanceResult> verifyAll(byte[] provenance, ProvenanceOptions options) {
    List<ProvenanceInput.Item> items;
    try {
      items = ProvenanceInput.split(provenance);
    } catch (ProblemException e) {
      return List.of(ProvenanceResult.failed(e.problems()));
    }
    List<ProvenanceResult> results = new ArrayList<>();
    for (ProvenanceInput.Item item : items) {
      results.add(verifyItem(item, options));
    }
    return results;
  }

  private static ProvenanceResult verifyItem(ProvenanceInput.Item item, ProvenanceOptions options) {
    List<Problem> problems = new ArrayList<>();
    return switch (item) {
      case ProvenanceInput.BadItem bad -> ProvenanceResult.failed(List.of(bad.problem()));
      case ProvenanceInput.EnvelopeItem envelope -> {
        Signer signer = null;
        try {
          signer =
              KeyedSignatures.verify(
                  envelope.envelope(), options.keys(), envelope.rawPayloadAllowed());
        } catch (ProblemException e) {
          problems.addAll(e.problems());
        }
        Instant at = options.at() != null ? options.at() : options.clock().instant();
        yield statement(envelope.envelope(), signer, null, at, options, problems);
      }
      case ProvenanceInput.BundleItem bundleItem -> {
        Bundle bundle = bundleItem.bundle();
        BundleVerifier.Verification verification =
            BundleVerifier.verify(
                bundle,
                new BundleVerifier.Options(
                    options.keys(),
                    options.trustedRoot(),
                    options.identity(),
                    options.at(),
                    options.clock(),
                    options.requireInclusionProof()),
                problems);
        yield bundle.envelope() != null
            ? statement(
                bundle.envelope(),
                verification.signer(),
                verification.integratedTime(),
                verification.verifiedAt(),
                options,
                problems)
            : message(bundle.messageSignature(), verification, options, problems);
      }
    };
  }

  /** Checks the signed Statement; its content is reported only when the signature verified. */
  private static ProvenanceResult statement(
      Envelope envelope,
      Signer signer,
      Instant integrated,
      Instant at,
      ProvenanceOptions options,
      List<Problem> problems) {
    if (signer == null) {
      return new ProvenanceResult(
          false, null, null, List.of(), null, null, integrated, at, problems, List.of());
    }
    if (!envelope.isInToto()) {
      problems.add(
          Problem.of(
              ProvenanceProblem.PROVENANCE_MEDIA_TYPE_UNSUPPORTED,
              "payloadType '"
                  + ProvenanceInput.abbreviate(envelope.payloadType())
                  + "' is not an in-toto Statement"));
      return new ProvenanceResult(
          false, null, null, List.of(), signer, null, integrated, at, problems, List.of());
    }
    Statement statement;
    try {
      statement = Statement.parse(envelope.payload());
    } catch (ProblemException e) {
      problems.addAll(e.problems());
      return new ProvenanceResult(
          false, null, null, List.of(), signer, null, integrated, at, problems, List.of());
    }
    String builderId = null;
    Optional<Predicates.Kind> kind = Predicates.kind(statement.predicateType());
    if (kind.isEmpty()) {
      problems.add(
          Problem.of(
              ProvenanceProblem.PROVENANCE_PREDICATE_UNSUPPORTED,
              "predicateType '"
                  + ProvenanceInput.abbreviate(statement.predicateType())
                  + "' is not a supported provenance predicate"));
    } else {
      builderId = Predicates.builderId(kind.get(), statement.predicate()).orElse(null);
      if (builderId == null && Predicates.requiresBuilder(kind.get())) {
        problems.add(
            Problem.of(
                ProvenanceProblem.PROVENANCE_STATEMENT_INVALID,
                "the " + kind.get() + " predicate has no builder id"));
      }
      if (kind.get() == Predicates.Kind.VSA_V1
          && !statement.predicate().path("verificationResult").asText("").equals("PASSED")) {
        problems.add(
            Problem.of(
                ProvenanceProblem.PROVENANCE_STATEMENT_INVALID,
                "the verification summary's verificationResult is not PASSED"));
      }
    }
    checkBuilder(builderId, options, problems);
    checkDigest(statement.subjects(), options, problems);
    return new ProvenanceResult(
        problems.isEmpty(),
        statement.predicateType(),
        builderId,
        statement.subjects(),
        signer,
        statement.predicate(),
        integrated,
        at,
        problems,
        List.of());
  }

  private static ProvenanceResult message(
      Bundle.MessageSignature message,
      BundleVerifier.Verification verification,
      ProvenanceOptions options,
      List<Problem> problems) {
    if (verification.signer() == null) {
      return new ProvenanceResult(
          false,
          null,
          null,
          List.of(),
          null,
          null,
          verification.integratedTime(),
          verification.verifiedAt(),
          problems,
          List.of());
    }
    List<Subject> subjects =
        List.of(
            new Subject(null, Map.of("sha256", dev.arbiter.internal.Hex.encode(message.digest()))));
    checkBuilder(null, options, problems);
    checkDigest(subjects, options, problems);
    return new ProvenanceResult(
        problems.isEmpty(),
        null,
        null,
        subjects,
        verification.signer(),
        null,
        verification.integratedTime(),
        verification.verifiedAt(),
        problems,
        List.of());
  }

  private static void checkBuilder(
      String builderId, ProvenanceOptions options, List<Problem> problems) {
    if (!options.builderIds().isEmpty()
        && (builderId == null || !options.builderIds().contains(builderId))) {
      problems.add(
          Problem.of(
              ProvenanceProblem.PROVENANCE_BUILDER_UNTRUSTED,
              builderId == null
                  ? "the provenance names no builder and trusted builder ids are required"
                  : "builder id '" + ProvenanceInput.abbreviate(builderId) + "' is not trusted"));
    }
  }

  private static void checkDigest(
      List<Subject> subjects, ProvenanceOptions options, List<Problem> problems) {
    ArtifactDigest expected = options.expectedDigest();
    if (expected != null && subjects.stream().noneMatch(expected::matches)) {
      problems.add(
          Problem.of(
              ProvenanceProblem.PROVENANCE_DIGEST_MISMATCH, "no subject has digest " + expected));
    }
  }
}
