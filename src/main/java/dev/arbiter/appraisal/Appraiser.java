// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.appraisal.AppraisalOutcome.Issued;
import dev.arbiter.appraisal.AppraisalOutcome.Refused;
import dev.arbiter.crypto.Digests;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.policy.AppraisalInput;
import dev.arbiter.policy.CelPolicy;
import dev.arbiter.policy.PolicyProblem;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.token.EarSigner;
import dev.arbiter.token.EarStatus;
import dev.arbiter.token.SignedEar;
import dev.arbiter.token.Submodule;
import dev.arbiter.token.TrustVector;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The appraisal hot path, as a pipeline of named steps over one {@link Attempt}: {@link
 * #checkNonce}, {@link #devGate}, {@link #verifyEvidence} (freshness and key binding by the
 * format's {@link SchemeDescriptor.BindingRule}), {@link #matchVersion} against the reference
 * values of the versions the workload's current policy revision accepts, {@link
 * #checkConfiguration} (the descriptor's configuration-digest claim), {@link #appraiseDevices},
 * {@link #evaluatePolicy} (CEL), then {@link #assess} (the trustworthiness vector) and {@link
 * #issue} (a signed EAR bound to the TEE key). Each step either passes or ends the appraisal with a
 * {@link Refused}; every appraisal ends in one {@link AppraisalOutcome} and one {@link Decision} to
 * the {@link DecisionSink}. Reads policy only from memory ({@link Policies}); issues no SQL and no
 * other I/O. Thread-safe.
 */
public final class Appraiser {
  private static final Set<String> TCB_OK = Set.of("UpToDate", "unknown");

  /**
   * Where the appraiser reads a workload's current compiled policy (the policy cache: memory only).
   */
  @FunctionalInterface
  public interface Policies {
    Optional<CompiledPolicy> current(String workload);
  }

  /** Imported collateral per format (from memory), added to what the attester sent. */
  @FunctionalInterface
  public interface StoredCollateral {
    List<EvidenceInput.Collateral> forFormat(String format);

    static StoredCollateral none() {
      return format -> List.of();
    }
  }

  /** One step of the pipeline: passes (empty) or refuses. */
  @FunctionalInterface
  interface Step {
    Optional<Refused> apply(Attempt attempt);
  }

  private final SchemeRegistry schemes;
  private final Policies policies;
  private final Nonces nonces;
  private final EarSigner signer;
  private final StoredCollateral storedCollateral;
  private final DecisionSink decisions;
  private final boolean dev;
  private final Clock clock;
  private final List<Step> steps;

  /**
   * @param schemes the enabled evidence schemes
   * @param policies the workloads' current compiled policies
   * @param nonces the nonce checker (single use)
   * @param signer signs EARs
   * @param storedCollateral imported collateral per format
   * @param decisions receives every decision (fleet record, metrics, transparency log)
   * @param dev true when dev-only schemes (sample) are accepted
   * @param clock the verification time
   */
  public Appraiser(
      SchemeRegistry schemes,
      Policies policies,
      Nonces nonces,
      EarSigner signer,
      StoredCollateral storedCollateral,
      DecisionSink decisions,
      boolean dev,
      Clock clock) {
    this.schemes = schemes;
    this.policies = policies;
    this.nonces = nonces;
    this.signer = signer;
    this.storedCollateral = storedCollateral;
    this.decisions = decisions;
    this.dev = dev;
    this.clock = clock;
    this.steps =
        List.of(
            this::checkNonce,
            this::devGate,
            this::verifyEvidence,
            this::matchVersion,
            this::checkConfiguration,
            this::appraiseDevices,
            this::evaluatePolicy);
  }

  /**
   * Appraises one attestation and offers the decision to the sink ({@link DecisionSink#offer}).
   *
   * @throws ProblemException {@link PolicyProblem#WORKLOAD_NOT_FOUND} (no decision) when no
   *     workload has that name, or the problem of a sink that vetoed the decision (e.g. the
   *     transparency log is full: no EAR leaves unlogged)
   */
  public AppraisalOutcome attest(AttestRequest request) {
    CompiledPolicy policy =
        policies
            .current(request.workload())
            .orElseThrow(() ->
                new ProblemException(
                    PolicyProblem.WORKLOAD_NOT_FOUND, "no workload named " + request.workload()));
    long started = System.nanoTime();
    Attempt attempt = new Attempt(request, policy);
    AppraisalOutcome outcome = run(attempt);
    // offered before the outcome leaves: a sink may veto it (the transparency log, when it cannot
    // record it)
    decisions.offer(decision(attempt, outcome, Duration.ofNanos(System.nanoTime() - started)));
    return outcome;
  }

  /** Runs the steps in order; the first refusal ends the appraisal. */
  AppraisalOutcome run(Attempt attempt) {
    for (Step step : steps) {
      Optional<Refused> refused = step.apply(attempt);
      if (refused.isPresent()) {
        return refused.get();
      }
    }
    return issue(attempt, assess(attempt));
  }

  /** The state of one appraisal as the steps fill it in. Confined to the request's thread. */
  static final class Attempt {
    final AttestRequest request;
    final CompiledPolicy policy;
    final SchemeDescriptor.KeyBinding key;
    EvidenceScheme scheme;
    Claims claims;
    boolean evidenceVerified;
    CompiledPolicy.AcceptedVersion matched;
    boolean configurationChecked;
    Map<String, Claims> devices = Map.of();
    AppraisalInput appraised;

    Attempt(AttestRequest request, CompiledPolicy policy) {
      this.request = request;
      this.policy = policy;
      this.key = request.teeKey().binding(request.nonce());
    }

    SchemeDescriptor descriptor() {
      return scheme.descriptor();
    }

    Optional<String> version() {
      return Optional.ofNullable(matched).map(CompiledPolicy.AcceptedVersion::label);
    }

    Optional<Refused> refuse(AppraisalProblem type, String detail) {
      return refuse(new ProblemException(type, detail));
    }

    Optional<Refused> refuse(ProblemException problem) {
      return Optional.of(new Refused(problem, version(), evidenceVerified));
    }
  }

  /**
   * The nonce is genuine, unexpired, minted by this replica since its last start, and not used
   * before (it is consumed here).
   */
  Optional<Refused> checkNonce(Attempt attempt) {
    return switch (nonces.consume(attempt.request.nonce()).orElse(null)) {
      case null -> Optional.empty();
      case MALFORMED, FORGED ->
          attempt.refuse(
              AppraisalProblem.NONCE_INVALID, "the nonce was not issued by this Arbiter");
      case EXPIRED -> attempt.refuse(AppraisalProblem.NONCE_EXPIRED, "the nonce has expired");
      case REUSED -> attempt.refuse(AppraisalProblem.NONCE_REUSED, "the nonce was already used");
      case WRONG_ISSUER ->
          attempt.refuse(
              AppraisalProblem.NONCE_WRONG_ISSUER,
              "the nonce was issued by another replica or before a restart; get a new challenge"
                  + " from this replica");
      case OVERLOADED ->
          attempt.refuse(
              new ProblemException(
                  CommonProblem.UNAVAILABLE,
                  "too many unexpired nonces are in use; retry shortly"));
    };
  }

  /** The format is an enabled scheme, and a dev-only one only on a server started with --dev. */
  Optional<Refused> devGate(Attempt attempt) {
    String format = attempt.request.format();
    Optional<EvidenceScheme> scheme = schemes.find(format);
    if (scheme.isEmpty()) {
      return attempt.refuse(
          AppraisalProblem.SCHEME_NOT_ALLOWED, "format " + format + " is not enabled");
    }
    attempt.scheme = scheme.get();
    if (attempt.descriptor().devOnly() && !dev) {
      return attempt.refuse(
          AppraisalProblem.SCHEME_NOT_ALLOWED,
          format + " evidence is accepted only by a server started with --dev");
    }
    return Optional.empty();
  }

  /** The scheme verifies the evidence, bound (per its binding rule) to this nonce and TEE key. */
  Optional<Refused> verifyEvidence(Attempt attempt) {
    SchemeDescriptor.BindingRule rule = attempt.descriptor().binding();
    VerificationResult verified =
        attempt.scheme.verify(
            withStoredCollateral(attempt.request.format(), attempt.request.evidence()),
            rule.expected(attempt.key),
            VerificationContext.of(clock));
    if (!verified.valid()) {
      boolean onlyBinding =
          verified.problems().stream()
              .allMatch(p -> p.type() == EvidenceProblem.REPORT_DATA_MISMATCH);
      List<Problem> problems = new ArrayList<>();
      problems.add(
          onlyBinding
              ? Problem.of(
                  AppraisalProblem.BINDING_MISMATCH,
                  "the evidence does not carry SHA-512(nonce || JWK thumbprint) for this nonce and"
                      + " key")
              : Problem.of(
                  AppraisalProblem.EVIDENCE_REJECTED,
                  verified.problems().size() + " evidence check(s) failed"));
      if (!onlyBinding) {
        problems.addAll(verified.problems());
      }
      return attempt.refuse(new ProblemException(problems));
    }
    if (!rule.keyMatches(verified.claims(), attempt.key)) {
      String claim =
          rule instanceof SchemeDescriptor.BindingRule.NonceWithKey withKey
              ? withKey.keyClaim()
              : "key";
      return attempt.refuse(
          AppraisalProblem.BINDING_MISMATCH,
          "the "
              + attempt.request.format()
              + " evidence's "
              + claim
              + " is not the TEE key's SPKI");
    }
    attempt.claims = verified.claims();
    attempt.evidenceVerified = true;
    return Optional.empty();
  }

  /**
   * The claims match the reference values of a version the current revision accepts (the first in
   * order).
   */
  Optional<Refused> matchVersion(Attempt attempt) {
    CompiledPolicy policy = attempt.policy;
    List<String> mismatches = new ArrayList<>();
    for (CompiledPolicy.AcceptedVersion version : policy.versions()) {
      Optional<String> why = mismatch(version, attempt.request.format(), attempt.claims);
      if (why.isEmpty()) {
        attempt.matched = version;
        return Optional.empty();
      }
      mismatches.add(version.label() + ": " + why.get());
    }
    return attempt.refuse(
        AppraisalProblem.NO_MATCHING_VERSION,
        policy.versions().isEmpty()
            ? "revision #" + policy.seq() + " of " + policy.workload() + " accepts no version"
            : "revision #" + policy.seq() + " accepts " + String.join("; ", mismatches));
  }

  /**
   * When the matched version names a configuration and the format carries a configuration-digest
   * claim, that claim equals the configuration's digest (zero-padded to the field).
   */
  Optional<Refused> checkConfiguration(Attempt attempt) {
    CompiledPolicy.AcceptedVersion version = attempt.matched;
    Optional<SchemeDescriptor.ConfigurationClaim> field = attempt.descriptor().configuration();
    if (version.configurationSha256().isEmpty() || field.isEmpty()) {
      // no configuration, or the format carries no configuration field: it must be in the measured
      // reference values
      return Optional.empty();
    }
    String claimName = field.get().claim();
    Object actual = attempt.claims.get(claimName).orElse(null);
    if (!(actual instanceof String hex) || !Hex.isHex(hex)) {
      return attempt.refuse(
          AppraisalProblem.CONFIGURATION_MISMATCH,
          claimName + " is absent; expected the configuration digest");
    }
    byte[] value = Hex.decode(hex);
    byte[] expected =
        field.get().sha384()
            ? version.configurationSha384().orElseThrow()
            : version.configurationSha256().orElseThrow();
    if (value.length < expected.length
        || !Digests.constantTimeEquals(Arrays.copyOf(expected, value.length), value)) {
      return attempt.refuse(
          AppraisalProblem.CONFIGURATION_MISMATCH,
          claimName
              + " does not equal the digest of version "
              + version.label()
              + "'s configuration");
    }
    attempt.configurationChecked = true;
    return Optional.empty();
  }

  /**
   * Verifies each device's evidence (bound to the same nonce and key) and matches it against the
   * matched version's reference values for that device format; every device format the version
   * names must be present. Labels devices by format, then format#2, ...
   */
  Optional<Refused> appraiseDevices(Attempt attempt) {
    AttestRequest request = attempt.request;
    String matched = attempt.matched.label();
    Map<String, Claims> out = new LinkedHashMap<>();
    for (AttestRequest.Device device : request.devices()) {
      Optional<EvidenceScheme> found = schemes.find(device.format());
      if (found.isEmpty()) {
        return attempt.refuse(
            AppraisalProblem.SCHEME_NOT_ALLOWED,
            "device format " + device.format() + " is not enabled");
      }
      if (device.format().equals(request.format())) {
        return attempt.refuse(
            AppraisalProblem.SCHEME_NOT_ALLOWED,
            "a device must have another format than the CPU evidence");
      }
      EvidenceScheme scheme = found.get();
      VerificationResult result =
          scheme.verify(
              withStoredCollateral(device.format(), device.evidence()),
              scheme.descriptor().binding().expected(attempt.key),
              VerificationContext.of(clock));
      String label =
          out.containsKey(device.format())
              ? device.format() + "#" + (out.size() + 1)
              : device.format();
      if (!result.valid()) {
        List<Problem> problems = new ArrayList<>();
        problems.add(
            Problem.of(
                AppraisalProblem.DEVICE_NOT_ATTESTED,
                label + ": " + result.problems().size() + " evidence check(s) failed"));
        problems.addAll(result.problems());
        return attempt.refuse(new ProblemException(problems));
      }
      if (!scheme.descriptor().binding().keyMatches(result.claims(), attempt.key)) {
        return attempt.refuse(
            AppraisalProblem.DEVICE_NOT_ATTESTED, label + " does not bind the TEE key");
      }
      Optional<String> why = mismatch(attempt.matched, device.format(), result.claims());
      if (why.isPresent()) {
        return attempt.refuse(
            AppraisalProblem.DEVICE_NOT_ATTESTED,
            label + " does not match version " + matched + ": " + why.get());
      }
      out.put(label, result.claims());
    }
    for (String required : attempt.matched.referenceValues().schemes()) {
      boolean device =
          schemes
              .descriptor(required)
              .map(d -> d.kind() == SchemeDescriptor.Kind.DEVICE)
              .orElse(false);
      if (!required.equals(request.format()) && device && !out.containsKey(required)) {
        return attempt.refuse(
            AppraisalProblem.DEVICE_NOT_ATTESTED,
            "version " + matched + " requires an attested " + required);
      }
    }
    attempt.devices = out;
    return Optional.empty();
  }

  /**
   * The workload's CEL appraisal policy, when it has one, allows the claims. What the policy sees
   * is kept on the attempt (and its decision) either way, for dry runs of proposed policies.
   */
  Optional<Refused> evaluatePolicy(Attempt attempt) {
    CompiledPolicy policy = attempt.policy;
    List<Map<String, Object>> deviceVariables = new ArrayList<>();
    attempt.devices.forEach((label, deviceClaims) ->
        deviceVariables.add(AppraisalInput.device(formatOf(label), deviceClaims.values())));
    attempt.appraised =
        new AppraisalInput(
            attempt.request.format(),
            attempt.matched.label(),
            attempt.claims.values(),
            deviceVariables);
    if (policy.appraisal().isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> variables = attempt.appraised.variables(policy.workload());
    CelPolicy.Decision decision = policy.appraisal().get().evaluate(variables);
    if (decision == CelPolicy.Decision.ALLOW) {
      return Optional.empty();
    }
    return attempt.refuse(
        AppraisalProblem.POLICY_DENIED,
        "appraisal policy '"
            + policy.appraisal().get().source()
            + "' "
            + (decision == CelPolicy.Decision.ERROR
                ? "could not be evaluated on these claims"
                : "denied these claims"));
  }

  /** The CPU TEE's trustworthiness and the resulting status. */
  record Assessment(TrustVector vector, EarStatus status) {}

  /**
   * The trustworthiness vector of an attempt that passed every step: instance identity affirmed;
   * configuration affirmed when a digest was compared; executables warned when the matched version
   * has known vulnerabilities; hardware warned when the TCB is not up to date; no hardware or
   * runtime claims for dev-only evidence (no hardware root of trust).
   */
  static Assessment assess(Attempt attempt) {
    boolean devOnly = attempt.descriptor().devOnly();
    String tcbStatus = attempt.claims.get("tcb_status").map(String::valueOf).orElse("unknown");
    boolean tcbWarning = !TCB_OK.contains(tcbStatus);
    boolean vulnerable = !attempt.matched.vulnerabilities().isEmpty();
    TrustVector vector =
        TrustVector.builder()
            .instanceIdentity(TrustVector.AFFIRMING)
            .configuration(
                attempt.configurationChecked ? TrustVector.AFFIRMING : TrustVector.NO_CLAIM)
            .executables(vulnerable ? TrustVector.WARNING : TrustVector.AFFIRMING)
            .hardware(
                devOnly
                    ? TrustVector.NO_CLAIM
                    : (tcbWarning ? TrustVector.WARNING : TrustVector.AFFIRMING))
            .runtimeOpaque(devOnly ? TrustVector.NO_CLAIM : TrustVector.AFFIRMING)
            .build();
    return new Assessment(
        vector, vector.worstTier() == EarStatus.WARNING ? EarStatus.WARNING : EarStatus.AFFIRMING);
  }

  /**
   * A device that passed appraisal: genuine, running approved firmware, with its memory protected.
   */
  static TrustVector deviceVector() {
    return TrustVector.builder()
        .instanceIdentity(TrustVector.AFFIRMING)
        .executables(TrustVector.AFFIRMING)
        .hardware(TrustVector.AFFIRMING)
        .runtimeOpaque(TrustVector.AFFIRMING)
        .build();
  }

  /** Signs the EAR: one submodule for the workload, one per device. */
  Issued issue(Attempt attempt, Assessment assessment) {
    CompiledPolicy policy = attempt.policy;
    String version = attempt.matched.label();
    List<String> policyIds =
        List.of("arbiter:policy:" + policy.workload() + ":" + policy.revisionHash());
    Map<String, Object> extensions = new LinkedHashMap<>();
    extensions.put("arbiter.workload", policy.workload());
    extensions.put("arbiter.version", version);
    extensions.put("arbiter.policy_revision", policy.revisionHash());
    extensions.put("arbiter.vulnerabilities", attempt.matched.vulnerabilities());
    extensions.put("arbiter.dev", attempt.descriptor().devOnly());
    extensions.put("arbiter.format", attempt.request.format());
    extensions.put("arbiter.instance_id", attempt.request.instanceId());
    extensions.put("arbiter.claims", attempt.claims.values());
    Map<String, Submodule> submods = new LinkedHashMap<>();
    submods.put(
        policy.workload(),
        new Submodule(assessment.status(), assessment.vector(), policyIds, extensions));
    attempt.devices.forEach((label, deviceClaims) -> {
      Map<String, Object> deviceExtensions = new LinkedHashMap<>();
      deviceExtensions.put("arbiter.format", formatOf(label));
      deviceExtensions.put("arbiter.version", version);
      deviceExtensions.put("arbiter.policy_revision", policy.revisionHash());
      deviceExtensions.put("arbiter.claims", deviceClaims.values());
      submods.put(
          label, new Submodule(EarStatus.AFFIRMING, deviceVector(), policyIds, deviceExtensions));
    });
    SignedEar ear = signer.issue(submods, attempt.request.nonce(), attempt.request.teeKey().jwk());
    return new Issued(ear, assessment.status(), version, policy.revisionHash(), attempt.claims);
  }

  private Decision decision(Attempt attempt, AppraisalOutcome outcome, Duration elapsed) {
    AttestRequest request = attempt.request;
    String evidenceSha256 = Hex.encode(Digests.sha256(request.evidence().evidence()));
    return switch (outcome) {
      case Issued issued ->
          new Decision(
              clock.instant(),
              request.workload(),
              request.instanceId(),
              request.format(),
              evidenceSha256,
              issued.version(),
              issued.policyRevision(),
              issued.status() == EarStatus.WARNING
                  ? Decision.Verdict.WARNING
                  : Decision.Verdict.AFFIRMING,
              List.of(),
              issued.ear().jti(),
              true,
              elapsed,
              attempt.appraised);
      case Refused refused ->
          new Decision(
              clock.instant(),
              request.workload(),
              request.instanceId(),
              request.format(),
              evidenceSha256,
              refused.version().orElse(null),
              attempt.policy.revisionHash(),
              Decision.Verdict.REFUSED,
              refused.problem().problems().stream().map(Decision.Reason::of).toList(),
              null,
              refused.evidenceVerified(),
              elapsed,
              attempt.appraised);
    };
  }

  private EvidenceInput withStoredCollateral(String format, EvidenceInput input) {
    List<EvidenceInput.Collateral> stored = storedCollateral.forFormat(format);
    if (stored.isEmpty()) {
      return input;
    }
    List<EvidenceInput.Collateral> all = new ArrayList<>(input.collateral());
    all.addAll(stored);
    return input.withCollateral(all);
  }

  private static String formatOf(String deviceLabel) {
    return deviceLabel.replaceAll("#\\d+$", "");
  }

  /** Why a version's reference values do not match the claims, or empty when they do. */
  static Optional<String> mismatch(
      CompiledPolicy.AcceptedVersion version, String format, Claims claims) {
    var expected = version.referenceValues().expected(format);
    var minimums = version.referenceValues().minimums(format);
    if (expected.isEmpty() && minimums.isEmpty()) {
      return Optional.of("no reference values for " + format);
    }
    for (var entry : expected.entrySet()) {
      Optional<Object> actual = claims.get(entry.getKey());
      if (actual.isEmpty()) {
        return Optional.of(entry.getKey() + " is absent from the evidence");
      }
      if (entry.getValue().stream().noneMatch(value -> equal(actual.get(), value))) {
        return Optional.of(entry.getKey() + " differs");
      }
    }
    for (var entry : minimums.entrySet()) {
      Optional<Object> actual = claims.get(entry.getKey());
      if (actual.isEmpty()
          || !(actual.get() instanceof Number number)
          || number.longValue() < entry.getValue()) {
        return Optional.of(entry.getKey() + " is below the minimum " + entry.getValue());
      }
    }
    return Optional.empty();
  }

  static boolean equal(Object actual, JsonNode expected) {
    if (expected.isTextual()) {
      return actual instanceof String text && text.equalsIgnoreCase(expected.textValue());
    }
    if (expected.isIntegralNumber()) {
      return actual instanceof Number number
          && !(actual instanceof Double)
          && number.longValue() == expected.asLong();
    }
    if (expected.isBoolean()) {
      return actual instanceof Boolean bool && bool == expected.booleanValue();
    }
    return false;
  }
}
