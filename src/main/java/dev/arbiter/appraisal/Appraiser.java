// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.EvidenceScheme;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.SchemeRegistry;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.policy.CelPolicy;
import dev.arbiter.policy.PolicyProblem;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.token.EarSigner;
import dev.arbiter.token.EarStatus;
import dev.arbiter.token.Submodule;
import dev.arbiter.token.TrustVector;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The appraisal hot path: nonce, evidence verification by the format's scheme, freshness and key
 * binding, matching the claims against the reference values of the versions the workload's current
 * policy revision accepts, the security-sensitive configuration digest, the CEL appraisal policy,
 * and a signed EAR bound to the TEE key. Reads policy only from {@link PolicyCache}; the fleet
 * record is queued to {@link FleetRecorder}. Issues no SQL. Thread-safe.
 */
public final class Appraiser {
  /** Claims that carry a version's configuration digest, per format. */
  private static final Map<String, String> CONFIGURATION_CLAIM = Map.of("sev-snp", "host_data", "tdx", "mr_config_id", "sample", "config");
  private static final Set<String> TCB_OK = Set.of("UpToDate", "unknown");
  /** Formats appraised as devices of a CPU TEE (composite attestation). */
  static final Set<String> DEVICE_FORMATS = Set.of("nvidia-gpu");

  private final SchemeRegistry schemes;
  private final PolicyCache policies;
  private final Nonces nonces;
  private final EarSigner signer;
  private final FleetRecorder fleet;
  private final boolean dev;
  private final Clock clock;
  private volatile Observer observer = (format, result, nanos) -> { };

  /** Sees every appraisal outcome (metrics). Must not block or do I/O. */
  @FunctionalInterface
  public interface Observer {
    void observed(String format, String result, long nanos);
  }

  public void setObserver(Observer observer) {
    this.observer = observer;
  }

  private volatile java.util.function.Function<String, List<EvidenceInput.Collateral>> storedCollateral = format -> List.of();

  /** Imported collateral per format (from memory), added to what the attester sent. */
  public void setCollateralSource(java.util.function.Function<String, List<EvidenceInput.Collateral>> source) {
    this.storedCollateral = source;
  }

  private EvidenceInput withStoredCollateral(String format, EvidenceInput input) {
    List<EvidenceInput.Collateral> stored = storedCollateral.apply(format);
    if (stored.isEmpty()) {
      return input;
    }
    List<EvidenceInput.Collateral> all = new ArrayList<>(input.collateral());
    all.addAll(stored);
    return input.withCollateral(all);
  }

  public Appraiser(SchemeRegistry schemes, PolicyCache policies, Nonces nonces, EarSigner signer, FleetRecorder fleet, boolean dev, Clock clock) {
    this.schemes = schemes;
    this.policies = policies;
    this.nonces = nonces;
    this.signer = signer;
    this.fleet = fleet;
    this.dev = dev;
    this.clock = clock;
  }

  /** A successful appraisal: the EAR and what it says. */
  public record Outcome(String token, EarStatus status, String version, String policyRevision, Instant expiresAt, Claims claims) {}

  /** @throws ProblemException with an {@link AppraisalProblem} (or workload-not-found) when refused */
  public Outcome attest(AttestRequest request) {
    CompiledPolicy policy = policies.get(request.workload())
        .orElseThrow(() -> new ProblemException(PolicyProblem.WORKLOAD_NOT_FOUND, "no workload named " + request.workload()));
    long started = System.nanoTime();
    try {
      Outcome outcome = appraise(request, policy);
      observer.observed(request.format(), outcome.status().label(), System.nanoTime() - started);
      return outcome;
    } catch (RefusedException refused) {
      record(request, policy, refused.version, "failed", refused.problem.problem().type().slug());
      observer.observed(request.format(), refused.problem.problem().type().slug(), System.nanoTime() - started);
      throw refused.problem;
    } catch (ProblemException problem) {
      record(request, policy, null, "failed", problem.problem().type().slug());
      observer.observed(request.format(), problem.problem().type().slug(), System.nanoTime() - started);
      throw problem;
    }
  }

  /** A refusal, with the version it can be attributed to (when claims matched one before the failing check). */
  private static final class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String version;
    private final transient ProblemException problem;

    RefusedException(String version, ProblemException problem) {
      super(problem.getMessage(), null, false, false);
      this.version = version;
      this.problem = problem;
    }
  }

  private Outcome appraise(AttestRequest request, CompiledPolicy policy) {
    validateKey(request.teeKey());
    switch (nonces.consume(request.nonce()).orElse(null)) {
      case null -> { }
      case MALFORMED, FORGED -> throw refuse(null, AppraisalProblem.NONCE_INVALID, "the nonce was not issued by this Arbiter");
      case EXPIRED -> throw refuse(null, AppraisalProblem.NONCE_EXPIRED, "the nonce has expired");
      case REUSED -> throw refuse(null, AppraisalProblem.NONCE_REUSED, "the nonce was already used");
    }
    EvidenceScheme scheme = schemes.find(request.format())
        .orElseThrow(() -> refuse(null, AppraisalProblem.SCHEME_NOT_ALLOWED, "format " + request.format() + " is not enabled"));
    if (request.format().equals("sample") && !dev) {
      throw refuse(null, AppraisalProblem.SCHEME_NOT_ALLOWED, "sample evidence is accepted only by a server started with --dev");
    }
    ExpectedBinding binding = Binding.expected(request.format(), request.nonce(), request.teeKey());
    VerificationResult verified = scheme.verify(withStoredCollateral(request.format(), request.evidence()), binding, VerificationContext.of(clock));
    if (!verified.valid()) {
      boolean onlyBinding = verified.problems().stream().allMatch(p -> p.type() == EvidenceProblem.REPORT_DATA_MISMATCH);
      List<Problem> problems = new ArrayList<>();
      problems.add(onlyBinding
          ? Problem.of(AppraisalProblem.BINDING_MISMATCH, "the evidence does not carry SHA-512(nonce || JWK thumbprint) for this nonce and key")
          : Problem.of(AppraisalProblem.EVIDENCE_REJECTED, verified.problems().size() + " evidence check(s) failed"));
      if (!onlyBinding) {
        problems.addAll(verified.problems());
      }
      throw new RefusedException(null, new ProblemException(problems));
    }
    Claims claims = verified.claims();
    if (request.format().equals("nitro")) {
      checkNitroKey(claims, request.teeKey());
    }
    List<String> mismatches = new ArrayList<>();
    CompiledPolicy.AcceptedVersion matched = null;
    for (CompiledPolicy.AcceptedVersion version : policy.versions()) {
      Optional<String> why = mismatch(version, request.format(), claims);
      if (why.isEmpty()) {
        matched = version;
        break;
      }
      mismatches.add(version.label() + ": " + why.get());
    }
    if (matched == null) {
      throw refuse(null, AppraisalProblem.NO_MATCHING_VERSION, policy.versions().isEmpty()
          ? "revision #" + policy.seq() + " of " + policy.workload() + " accepts no version"
          : "revision #" + policy.seq() + " accepts " + String.join("; ", mismatches));
    }
    boolean configurationChecked = checkConfiguration(matched, request.format(), claims);
    Map<String, Claims> devices = appraiseDevices(request, matched);
    if (policy.appraisal().isPresent()) {
      List<Map<String, Object>> deviceVariables = new ArrayList<>();
      devices.forEach((label, deviceClaims) -> deviceVariables.add(Map.of("format", label.replaceAll("#\\d+$", ""), "claims", deviceClaims.values())));
      Map<String, Object> variables = Map.of("claims", claims.values(), "format", request.format(), "workload", policy.workload(),
          "version", matched.label(), "devices", deviceVariables);
      CelPolicy.Decision decision = policy.appraisal().get().evaluate(variables);
      if (decision != CelPolicy.Decision.ALLOW) {
        throw refuse(matched.label(), AppraisalProblem.POLICY_DENIED, "appraisal policy '" + policy.appraisal().get().source() + "' "
            + (decision == CelPolicy.Decision.ERROR ? "could not be evaluated on these claims" : "denied these claims"));
      }
    }
    boolean sample = request.format().equals("sample");
    String tcbStatus = claims.get("tcb_status").map(String::valueOf).orElse("unknown");
    boolean tcbWarning = !TCB_OK.contains(tcbStatus);
    boolean vulnerable = !matched.vulnerabilities().isEmpty();
    TrustVector vector = new TrustVector(2, configurationChecked ? 2 : 0, vulnerable ? 32 : 2, 0, sample ? 0 : (tcbWarning ? 32 : 2),
        sample ? 0 : 2, 0, 0);
    EarStatus status = vector.worstTier() == EarStatus.WARNING ? EarStatus.WARNING : EarStatus.AFFIRMING;
    Map<String, Object> extensions = new LinkedHashMap<>();
    extensions.put("arbiter.workload", policy.workload());
    extensions.put("arbiter.version", matched.label());
    extensions.put("arbiter.policy_revision", policy.revisionHash());
    extensions.put("arbiter.vulnerabilities", matched.vulnerabilities());
    extensions.put("arbiter.dev", sample);
    extensions.put("arbiter.format", request.format());
    extensions.put("arbiter.instance_id", request.instanceId());
    extensions.put("arbiter.claims", claims.values());
    Submodule submodule = new Submodule(status, vector,
        List.of("arbiter:policy:" + policy.workload() + ":" + policy.revisionHash()), extensions);
    Map<String, Submodule> submods = new LinkedHashMap<>();
    submods.put(policy.workload(), submodule);
    String matchedLabel = matched.label();
    devices.forEach((label, deviceClaims) -> {
      Map<String, Object> deviceExtensions = new LinkedHashMap<>();
      deviceExtensions.put("arbiter.format", label.replaceAll("#\\d+$", ""));
      deviceExtensions.put("arbiter.version", matchedLabel);
      deviceExtensions.put("arbiter.policy_revision", policy.revisionHash());
      deviceExtensions.put("arbiter.claims", deviceClaims.values());
      submods.put(label, new Submodule(EarStatus.AFFIRMING, new TrustVector(2, 0, 2, 0, 2, 2, 0, 0),
          List.of("arbiter:policy:" + policy.workload() + ":" + policy.revisionHash()), deviceExtensions));
    });
    String token = signer.sign(submods, request.nonce(), request.teeKey());
    record(request, policy, matched.label(), status.label(), null);
    return new Outcome(token, status, matched.label(), policy.revisionHash(), clock.instant().plus(signer.lifetime()), claims);
  }

  /**
   * Verifies each device's evidence (bound to the same nonce and key) and matches it against the
   * matched version's reference values for that device format; every device format the version
   * names must be present. Returns submodule label (format, then format#2, ...) to claims.
   */
  private Map<String, Claims> appraiseDevices(AttestRequest request, CompiledPolicy.AcceptedVersion matched) {
    Map<String, Claims> out = new LinkedHashMap<>();
    for (AttestRequest.Device device : request.devices()) {
      EvidenceScheme scheme = schemes.find(device.format())
          .orElseThrow(() -> refuse(matched.label(), AppraisalProblem.SCHEME_NOT_ALLOWED, "device format " + device.format() + " is not enabled"));
      if (device.format().equals(request.format())) {
        throw refuse(matched.label(), AppraisalProblem.SCHEME_NOT_ALLOWED, "a device must have another format than the CPU evidence");
      }
      VerificationResult result = scheme.verify(withStoredCollateral(device.format(), device.evidence()),
          Binding.expected(device.format(), request.nonce(), request.teeKey()),
          VerificationContext.of(clock));
      String label = out.containsKey(device.format()) ? device.format() + "#" + (out.size() + 1) : device.format();
      if (!result.valid()) {
        List<Problem> problems = new ArrayList<>();
        problems.add(Problem.of(AppraisalProblem.DEVICE_NOT_ATTESTED, label + ": " + result.problems().size() + " evidence check(s) failed"));
        problems.addAll(result.problems());
        throw new RefusedException(matched.label(), new ProblemException(problems));
      }
      Optional<String> why = mismatch(matched, device.format(), result.claims());
      if (why.isPresent()) {
        throw refuse(matched.label(), AppraisalProblem.DEVICE_NOT_ATTESTED, label + " does not match version " + matched.label() + ": " + why.get());
      }
      out.put(label, result.claims());
    }
    for (String required : matched.referenceValues().schemes()) {
      if (!required.equals(request.format()) && DEVICE_FORMATS.contains(required) && !out.containsKey(required)) {
        throw refuse(matched.label(), AppraisalProblem.DEVICE_NOT_ATTESTED, "version " + matched.label() + " requires an attested " + required);
      }
    }
    return out;
  }

  private void record(AttestRequest request, CompiledPolicy policy, String version, String status, String reason) {
    fleet.record(new FleetRecorder.Event(clock.instant(), request.workload(), request.instanceId(), request.format(), version, status, reason,
        policy.revisionHash()));
  }

  /** Why a version's reference values do not match the claims, or empty when they do. */
  static Optional<String> mismatch(CompiledPolicy.AcceptedVersion version, String format, Claims claims) {
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
      if (actual.isEmpty() || !(actual.get() instanceof Number number) || number.longValue() < entry.getValue()) {
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
      return actual instanceof Number number && !(actual instanceof Double) && number.longValue() == expected.asLong();
    }
    if (expected.isBoolean()) {
      return actual instanceof Boolean bool && bool == expected.booleanValue();
    }
    return false;
  }

  /** True when a configuration digest was compared (and matched); refuses on mismatch. */
  private boolean checkConfiguration(CompiledPolicy.AcceptedVersion version, String format, Claims claims) {
    if (version.configurationSha256().isEmpty()) {
      return false;
    }
    String claimName = CONFIGURATION_CLAIM.get(format);
    if (claimName == null) {
      return false; // the format carries no configuration field: the configuration must be in the measured reference values
    }
    Object actual = claims.get(claimName).orElse(null);
    if (!(actual instanceof String hex) || !Hex.isHex(hex)) {
      throw refuse(version.label(), AppraisalProblem.CONFIGURATION_MISMATCH, claimName + " is absent; expected the configuration digest");
    }
    byte[] field = Hex.decode(hex);
    byte[] expected = field.length == 48 ? version.configurationSha384().orElseThrow() : version.configurationSha256().orElseThrow();
    byte[] padded = java.util.Arrays.copyOf(expected, field.length);
    if (field.length < expected.length || !MessageDigest.isEqual(padded, field)) {
      throw refuse(version.label(), AppraisalProblem.CONFIGURATION_MISMATCH,
          claimName + " does not equal the digest of version " + version.label() + "'s configuration");
    }
    return true;
  }

  private static void checkNitroKey(Claims claims, ECKey teeKey) {
    try {
      String expected = Hex.encode(teeKey.toECPublicKey().getEncoded());
      Object actual = claims.get("public_key").orElse(null);
      if (!(actual instanceof String hex) || !hex.equalsIgnoreCase(expected)) {
        throw refuse(null, AppraisalProblem.BINDING_MISMATCH, "the Nitro document's public_key is not the TEE key's SPKI");
      }
    } catch (JOSEException e) {
      throw refuse(null, AppraisalProblem.TEE_KEY_INVALID, "the TEE key cannot be converted");
    }
  }

  private static void validateKey(ECKey key) {
    if (key.isPrivate()) {
      throw new ProblemException(AppraisalProblem.TEE_KEY_INVALID, "send the TEE's public key only");
    }
    if (!Curve.P_256.equals(key.getCurve()) && !Curve.P_384.equals(key.getCurve())) {
      throw new ProblemException(AppraisalProblem.TEE_KEY_INVALID, "the TEE key must be EC P-256 or P-384");
    }
  }

  private static RefusedException refuse(String version, AppraisalProblem type, String detail) {
    return new RefusedException(version, new ProblemException(type, detail));
  }
}
