// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.arbiter.appraisal.AppraisalOutcome.Issued;
import dev.arbiter.appraisal.AppraisalOutcome.Refused;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.sample.SampleEvidence;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.CelPolicy;
import dev.arbiter.policy.PolicyProblem;
import dev.arbiter.policy.ReferenceValues;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.problem.ProblemType;
import dev.arbiter.schemes.BuiltInSchemes;
import dev.arbiter.token.EarSigner;
import dev.arbiter.token.EarStatus;
import dev.arbiter.token.TrustVector;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The appraisal pipeline without a server: each step's refusal, the decision stream, the EAR's jti
 * and exp.
 */
class AppraiserTest {
  private static final String CONFIG =
      SampleEvidence.configurationDigest(Map.of("trust_roots", "sha256:" + "1".repeat(64)));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00.250Z"));
  private final Nonces nonces = new Nonces(new byte[32], clock, Duration.ofMinutes(2));
  private final List<Decision> decisions = new ArrayList<>();

  private Appraiser appraiser(boolean dev, CompiledPolicy policy) {
    EarSigner signer = new EarSigner(ServiceKey.generate(), clock, Duration.ofMinutes(10), "test");
    return new Appraiser(
        BuiltInSchemes.registry(),
        workload -> workload.equals(policy.workload()) ? Optional.of(policy) : Optional.empty(),
        nonces,
        signer,
        Appraiser.StoredCollateral.none(),
        decisions::add,
        dev,
        clock);
  }

  private static CompiledPolicy policy(String referenceValues, String cel) throws Exception {
    ReferenceValues values =
        ReferenceValues.parse(
            Json.readTree(referenceValues.replace('\'', '"')), BuiltInSchemes.registry());
    Optional<byte[]> sha256 = values.configuration().map(c -> Hex.decode(CONFIG));
    Optional<byte[]> sha384 = values.configuration().map(c -> new byte[48]);
    var version =
        new CompiledPolicy.AcceptedVersion(
            "1.0", "sha256:" + "0".repeat(64), values, sha256, sha384, List.of());
    return new CompiledPolicy(
        "w",
        3,
        "rev-3",
        List.of(version),
        cel == null
            ? Optional.empty()
            : CelPolicy.compile(cel, CelPolicy.APPRAISAL_VARIABLES).policy());
  }

  private static CompiledPolicy policy() throws Exception {
    return policy(
        "{'sample': {'measurement': 'aa01'}, 'configuration': {'trust_roots': 'sha256:"
            + "1".repeat(64)
            + "'}}",
        null);
  }

  private static ECKey newKey() throws Exception {
    return new ECKeyGenerator(Curve.P_256).generate();
  }

  private AttestRequest request(
      String format, byte[] nonce, ECKey teeKey, String measurement, String config)
      throws Exception {
    String evidence =
        SampleEvidence.sign(newKey(), measurement, config, Binding.value(nonce, teeKey));
    return new AttestRequest(
        "w",
        "i-1",
        format,
        EvidenceInput.of(evidence.getBytes(StandardCharsets.US_ASCII)),
        TeeKey.of(teeKey.toPublicJWK()),
        nonce);
  }

  private AttestRequest request(ECKey teeKey, String measurement, String config) throws Exception {
    return request("sample", nonces.issue().nonce(), teeKey, measurement, config);
  }

  private static Refused refused(AppraisalOutcome outcome, ProblemType type) {
    assertThat(outcome).isInstanceOf(Refused.class);
    Refused refused = (Refused) outcome;
    assertThat(refused.problem().problem().type()).isEqualTo(type);
    return refused;
  }

  @Test
  void attest_matchingEvidence_issuesAnEarWhoseJtiAndExpAreInTheOutcomeAndTheDecision()
      throws Exception {
    Appraiser appraiser = appraiser(true, policy());
    ECKey teeKey = newKey();
    AppraisalOutcome outcome = appraiser.attest(request(teeKey, "AA01", CONFIG));
    assertThat(outcome).isInstanceOf(Issued.class);
    Issued issued = (Issued) outcome;
    assertThat(issued.status()).isEqualTo(EarStatus.AFFIRMING);
    var claims = SignedJWT.parse(issued.ear().token()).getJWTClaimsSet();
    assertThat(claims.getJWTID()).isEqualTo(issued.ear().jti()).isNotBlank();
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(issued.ear().expiresAt());
    assertThat(issued.ear().expiresAt()).isEqualTo(Instant.parse("2026-06-01T12:10:00Z"));
    assertThat(decisions)
        .singleElement()
        .satisfies(d -> {
          assertThat(d.verdict()).isEqualTo(Decision.Verdict.AFFIRMING);
          assertThat(d.earId()).isEqualTo(issued.ear().jti());
          assertThat(d.version()).isEqualTo("1.0");
          assertThat(d.policyRevision()).isEqualTo("rev-3");
          assertThat(d.evidenceVerified()).isTrue();
          assertThat(d.evidenceSha256()).hasSize(64);
          assertThat(d.reasons()).isEmpty();
        });
  }

  @Test
  void attest_sinkVetoesTheDecision_throwsItsProblemInsteadOfReturningTheEar() throws Exception {
    EarSigner signer = new EarSigner(ServiceKey.generate(), clock, Duration.ofMinutes(10), "test");
    CompiledPolicy policy = policy();
    List<Decision> offered = new ArrayList<>();
    DecisionSink vetoing =
        new DecisionSink() {
          @Override
          public void accept(Decision decision) {
            throw new AssertionError("the appraiser offers, it does not only accept");
          }

          @Override
          public void offer(Decision decision) {
            offered.add(decision);
            throw new dev.arbiter.problem.ProblemException(
                dev.arbiter.tlog.LogProblem.LOG_UNAVAILABLE, "full");
          }
        };
    Appraiser appraiser =
        new Appraiser(
            BuiltInSchemes.registry(),
            workload -> Optional.of(policy),
            nonces,
            signer,
            Appraiser.StoredCollateral.none(),
            vetoing,
            true,
            clock);
    assertThatThrownBy(() -> appraiser.attest(request(newKey(), "AA01", CONFIG)))
        .isInstanceOf(dev.arbiter.problem.ProblemException.class)
        .hasMessageContaining("log-unavailable");
    assertThat(offered).singleElement().satisfies(d -> assertThat(d.earId()).isNotNull());
  }

  @Test
  void attest_twoEars_haveDistinctJtis() throws Exception {
    Appraiser appraiser = appraiser(true, policy());
    ECKey teeKey = newKey();
    Issued first = (Issued) appraiser.attest(request(teeKey, "AA01", CONFIG));
    Issued second = (Issued) appraiser.attest(request(teeKey, "AA01", CONFIG));
    assertThat(first.ear().jti()).isNotEqualTo(second.ear().jti());
  }

  @Test
  void assess_sampleEvidence_claimsNoHardwareAndNamesTheVector() throws Exception {
    Issued issued = (Issued) appraiser(true, policy()).attest(request(newKey(), "AA01", CONFIG));
    var submods =
        SignedJWT.parse(issued.ear().token()).getJWTClaimsSet().getJSONObjectClaim("submods");
    @SuppressWarnings("unchecked")
    var vector =
        (Map<String, Object>)
            ((Map<String, Object>) submods.get("w")).get("ear_trustworthiness_vector");
    assertThat(TrustVector.fromJson(vector))
        .isEqualTo(
            TrustVector.builder()
                .instanceIdentity(TrustVector.AFFIRMING)
                .configuration(TrustVector.AFFIRMING)
                .executables(TrustVector.AFFIRMING)
                .build());
  }

  @Test
  void checkNonce_forgedExpiredOrReused_refusesBeforeVerification() throws Exception {
    Appraiser appraiser = appraiser(true, policy());
    ECKey teeKey = newKey();
    Refused forged =
        refused(
            appraiser.attest(request("sample", new byte[32], teeKey, "aa01", CONFIG)),
            AppraisalProblem.NONCE_INVALID);
    assertThat(forged.evidenceVerified()).isFalse();
    assertThat(forged.version()).isEmpty();

    AttestRequest late = request(teeKey, "aa01", CONFIG);
    clock.advance(Duration.ofMinutes(3));
    refused(appraiser.attest(late), AppraisalProblem.NONCE_EXPIRED);

    AttestRequest once = request(teeKey, "aa01", CONFIG);
    assertThat(appraiser.attest(once)).isInstanceOf(Issued.class);
    refused(appraiser.attest(once), AppraisalProblem.NONCE_REUSED);
    assertThat(decisions)
        .extracting(Decision::evidenceVerified)
        .containsExactly(false, false, true, false);
  }

  @Test
  void checkNonce_ofAnotherReplicaOrBeforeARestart_isWrongIssuer() throws Exception {
    Appraiser appraiser = appraiser(true, policy());
    ECKey teeKey = newKey();
    Nonces otherReplica = new Nonces(new byte[32], clock, Duration.ofMinutes(2)); // same key
    Refused refused =
        refused(
            appraiser.attest(
                request("sample", otherReplica.issue().nonce(), teeKey, "aa01", CONFIG)),
            AppraisalProblem.NONCE_WRONG_ISSUER);
    assertThat(refused.evidenceVerified()).isFalse();
    assertThat(refused.problem().problem().detail()).contains("new challenge");
  }

  @Test
  void devGate_unknownFormatOrDevOnlySchemeWithoutDev_isSchemeNotAllowed() throws Exception {
    ECKey teeKey = newKey();
    Refused unknown =
        refused(
            appraiser(true, policy())
                .attest(request("bogus", nonces.issue().nonce(), teeKey, "aa01", CONFIG)),
            AppraisalProblem.SCHEME_NOT_ALLOWED);
    assertThat(unknown.evidenceVerified()).isFalse();
    Refused production =
        refused(
            appraiser(false, policy()).attest(request(teeKey, "aa01", CONFIG)),
            AppraisalProblem.SCHEME_NOT_ALLOWED);
    assertThat(production.problem().problem().detail()).contains("--dev");
  }

  @Test
  void verifyEvidence_boundToAnotherKey_isBindingMismatch_andGarbage_isEvidenceRejected()
      throws Exception {
    Appraiser appraiser = appraiser(true, policy());
    byte[] nonce = nonces.issue().nonce();
    AttestRequest other = request("sample", nonce, newKey(), "aa01", CONFIG);
    AttestRequest stolen =
        new AttestRequest(
            "w", "i-1", "sample", other.evidence(), TeeKey.of(newKey().toPublicJWK()), nonce);
    Refused binding = refused(appraiser.attest(stolen), AppraisalProblem.BINDING_MISMATCH);
    assertThat(binding.evidenceVerified()).isFalse();

    AttestRequest garbage =
        new AttestRequest(
            "w",
            "i-1",
            "sample",
            EvidenceInput.of(new byte[] {1, 2, 3}),
            TeeKey.of(newKey().toPublicJWK()),
            nonces.issue().nonce());
    Refused rejected = refused(appraiser.attest(garbage), AppraisalProblem.EVIDENCE_REJECTED);
    assertThat(rejected.problem().problems()).hasSizeGreaterThan(1);
    assertThat(decisions.get(1).reasons().get(0).problem()).isEqualTo("evidence-rejected");
  }

  @Test
  void matchVersion_otherMeasurement_isNoMatchingVersion_afterVerification() throws Exception {
    Refused refused =
        refused(
            appraiser(true, policy()).attest(request(newKey(), "bb02", CONFIG)),
            AppraisalProblem.NO_MATCHING_VERSION);
    assertThat(refused.evidenceVerified()).isTrue();
    assertThat(refused.version()).isEmpty();
    assertThat(refused.problem().problem().detail()).contains("1.0: measurement differs");
  }

  @Test
  void checkConfiguration_otherDigest_isConfigurationMismatch_attributedToTheVersion()
      throws Exception {
    Refused refused =
        refused(
            appraiser(true, policy()).attest(request(newKey(), "aa01", "00".repeat(32))),
            AppraisalProblem.CONFIGURATION_MISMATCH);
    assertThat(refused.version()).contains("1.0");
    assertThat(decisions)
        .singleElement()
        .satisfies(d -> {
          assertThat(d.version()).isEqualTo("1.0");
          assertThat(d.verdict()).isEqualTo(Decision.Verdict.REFUSED);
          assertThat(d.earId()).isNull();
        });
  }

  @Test
  void appraiseDevices_versionNamingADeviceFormat_requiresTheDevice() throws Exception {
    CompiledPolicy policy =
        policy(
            "{'sample': {'measurement': 'aa01'}, 'nvidia-gpu': {'driver_version': '550.54'}}",
            null);
    Refused refused =
        refused(
            appraiser(true, policy).attest(request(newKey(), "aa01", null)),
            AppraisalProblem.DEVICE_NOT_ATTESTED);
    assertThat(refused.problem().problem().detail())
        .isEqualTo("version 1.0 requires an attested nvidia-gpu");
  }

  @Test
  void appraiseDevices_deviceOfTheCpuFormat_isSchemeNotAllowed() throws Exception {
    Appraiser appraiser = appraiser(true, policy("{'sample': {'measurement': 'aa01'}}", null));
    AttestRequest cpu = request(newKey(), "aa01", null);
    AttestRequest withDevice =
        new AttestRequest(
            cpu.workload(),
            cpu.instanceId(),
            cpu.format(),
            cpu.evidence(),
            cpu.teeKey(),
            cpu.nonce(),
            List.of(new AttestRequest.Device("sample", cpu.evidence())));
    refused(appraiser.attest(withDevice), AppraisalProblem.SCHEME_NOT_ALLOWED);
  }

  @Test
  void evaluatePolicy_denyingCel_isPolicyDenied() throws Exception {
    CompiledPolicy policy = policy("{'sample': {'measurement': 'aa01'}}", "format == 'tdx'");
    Refused refused =
        refused(
            appraiser(true, policy).attest(request(newKey(), "aa01", null)),
            AppraisalProblem.POLICY_DENIED);
    assertThat(refused.version()).contains("1.0");
  }

  @Test
  void attest_unknownWorkload_throwsWithoutADecision() throws Exception {
    Appraiser appraiser = appraiser(true, policy());
    AttestRequest request = request(newKey(), "aa01", CONFIG);
    AttestRequest elsewhere =
        new AttestRequest(
            "nope", "i-1", "sample", request.evidence(), request.teeKey(), request.nonce());
    assertThatThrownBy(() -> appraiser.attest(elsewhere))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type()).isEqualTo(PolicyProblem.WORKLOAD_NOT_FOUND));
    assertThat(decisions).isEmpty();
  }

  @Test
  void attestRequest_badIdentifiers_areInvalidIdentifier() throws Exception {
    AttestRequest ok = request(newKey(), "aa01", CONFIG);
    for (String bad : List.of("", "i\u0000", "i 1", "x".repeat(129), "i\n1", "ü")) {
      assertThatThrownBy(
              () -> new AttestRequest("w", bad, "sample", ok.evidence(), ok.teeKey(), ok.nonce()))
          .isInstanceOfSatisfying(
              ProblemException.class,
              e -> assertThat(e.problem().type()).isEqualTo(AppraisalProblem.INVALID_IDENTIFIER));
      assertThatThrownBy(
              () -> new AttestRequest(bad, "i-1", "sample", ok.evidence(), ok.teeKey(), ok.nonce()))
          .isInstanceOfSatisfying(
              ProblemException.class,
              e -> assertThat(e.problem().type()).isEqualTo(AppraisalProblem.INVALID_IDENTIFIER));
    }
    assertThat(AttestRequest.isIdentifier("spiffe://a.b/c:d@e_f-1")).isTrue();
  }

  @Test
  void attestRequest_evidenceOverTheOneLimit_isBodyTooLarge() throws Exception {
    AttestRequest ok = request(newKey(), "aa01", CONFIG);
    assertThatThrownBy(() ->
            new AttestRequest(
                "w",
                "i-1",
                "sample",
                EvidenceInput.of(new byte[AttestRequest.MAX_EVIDENCE_BYTES + 1]),
                ok.teeKey(),
                ok.nonce()))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type().slug()).isEqualTo("body-too-large"));
  }

  @Test
  void teeKey_privateOrWrongCurve_isTeeKeyInvalid() throws Exception {
    assertThatThrownBy(() -> TeeKey.of(newKey()))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type()).isEqualTo(AppraisalProblem.TEE_KEY_INVALID));
    assertThatThrownBy(() -> TeeKey.of(new ECKeyGenerator(Curve.P_521).generate().toPublicJWK()))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type()).isEqualTo(AppraisalProblem.TEE_KEY_INVALID));
    assertThatThrownBy(() -> TeeKey.parse("{\"kty\":\"oct\",\"k\":\"AAAA\"}"))
        .isInstanceOf(ProblemException.class);
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
