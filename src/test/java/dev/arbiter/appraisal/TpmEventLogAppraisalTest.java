// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.arbiter.appraisal.AppraisalOutcome.Issued;
import dev.arbiter.appraisal.AppraisalOutcome.Refused;
import dev.arbiter.crypto.CertBuilder;
import dev.arbiter.crypto.Digests;
import dev.arbiter.crypto.ServiceKey;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.eventlog.EventLogBuilder;
import dev.arbiter.evidence.tpm.TpmFixtures;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.CelPolicy;
import dev.arbiter.policy.ReferenceValues;
import dev.arbiter.schemes.BuiltInSchemes;
import dev.arbiter.token.EarSigner;
import dev.arbiter.token.EarStatus;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * TPM evidence with an event log through the whole appraisal: the boot claims replayed from the log
 * are what reference values and the CEL policy judge.
 */
class TpmEventLogAppraisalTest {
  private static final KeyPair AK = CertBuilder.rsaKeyPair(2048);
  private static final String POLICY =
      "claims.secure_boot.enabled && claims.boot.cmdline.contains(\"lockdown\")";

  private final AppraiserTest.MutableClock clock =
      new AppraiserTest.MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
  private final Nonces nonces = new Nonces(new byte[32], clock, Duration.ofMinutes(2));

  private Appraiser appraiser(CompiledPolicy policy) {
    return new Appraiser(
        BuiltInSchemes.registry(),
        workload -> Optional.of(policy),
        nonces,
        new EarSigner(ServiceKey.generate(), clock, Duration.ofMinutes(10), "test"),
        Appraiser.StoredCollateral.none(),
        decision -> {},
        false,
        clock);
  }

  private static CompiledPolicy policy(String referenceValues) throws Exception {
    ReferenceValues values =
        ReferenceValues.parse(
            Json.readTree(referenceValues.replace('\'', '"')), BuiltInSchemes.registry());
    var version =
        new CompiledPolicy.AcceptedVersion(
            "1.0",
            "sha256:" + "0".repeat(64),
            values,
            Optional.empty(),
            Optional.empty(),
            List.of());
    return new CompiledPolicy(
        "w",
        1,
        "rev-1",
        List.of(version),
        CelPolicy.compile(POLICY, CelPolicy.APPRAISAL_VARIABLES).policy());
  }

  private static EventLogBuilder log(boolean secureBoot, String cmdline) {
    return EventLogBuilder.tpm(EventLogBuilder.SHA256)
        .secureBoot(7, secureBoot)
        .application(4, "shim")
        .application(4, "vmlinuz-6.8")
        .grubCmdline(8, cmdline);
  }

  private AttestRequest request(EventLogBuilder log) throws Exception {
    byte[] nonce = nonces.issue().nonce();
    ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
    byte[] extraData = Digests.sha256(Binding.value(nonce, teeKey));
    byte[] attest = TpmFixtures.quote(extraData, log.sha256());
    EvidenceInput input =
        EvidenceInput.of(attest)
            .withSignature(TpmFixtures.rsassa(AK.getPrivate(), attest))
            .withPcrs(TpmFixtures.pcrJson(log.sha256()))
            .withKeys(List.of(TpmFixtures.pem(AK.getPublic()).getBytes(StandardCharsets.US_ASCII)))
            .withEventLog(log.build());
    return new AttestRequest("w", "i-1", "tpm", input, TeeKey.of(teeKey.toPublicJWK()), nonce);
  }

  private static String kernel() {
    return Hex.encode(Digests.sha256("vmlinuz-6.8".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void secureBootAndLockdown_withKernelReferenceValue_isAffirmed() throws Exception {
    AppraisalOutcome outcome =
        appraiser(policy("{'tpm': {'boot.kernel': '" + kernel() + "'}}"))
            .attest(request(log(true, "/vmlinuz-6.8 ro lockdown=integrity")));

    assertThat(outcome).isInstanceOf(Issued.class);
    assertThat(((Issued) outcome).status()).isEqualTo(EarStatus.AFFIRMING);
  }

  @Test
  void cmdlineWithoutLockdown_isPolicyDenied() throws Exception {
    AppraisalOutcome outcome =
        appraiser(policy("{'tpm': {'boot.kernel': '" + kernel() + "'}}"))
            .attest(request(log(true, "/vmlinuz-6.8 ro")));

    assertThat(outcome).isInstanceOf(Refused.class);
    assertThat(((Refused) outcome).problem().problem().type())
        .isEqualTo(AppraisalProblem.POLICY_DENIED);
  }

  @Test
  void secureBootOff_isPolicyDenied() throws Exception {
    AppraisalOutcome outcome =
        appraiser(policy("{'tpm': {'boot.kernel': '" + kernel() + "'}}"))
            .attest(request(log(false, "/vmlinuz-6.8 ro lockdown=integrity")));

    assertThat(((Refused) outcome).problem().problem().type())
        .isEqualTo(AppraisalProblem.POLICY_DENIED);
  }

  @Test
  void otherKernel_isNoMatchingVersion() throws Exception {
    AppraisalOutcome outcome =
        appraiser(policy("{'tpm': {'boot.kernel': '" + "ab".repeat(32) + "'}}"))
            .attest(request(log(true, "/vmlinuz-6.8 ro lockdown=integrity")));

    assertThat(((Refused) outcome).problem().problem().type())
        .isEqualTo(AppraisalProblem.NO_MATCHING_VERSION);
  }
}
