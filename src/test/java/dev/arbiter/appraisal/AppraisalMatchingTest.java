// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.sevsnp.SevSnpScheme;
import dev.arbiter.internal.Json;
import dev.arbiter.policy.ReferenceValues;
import dev.arbiter.schemes.BuiltInSchemes;
import dev.arbiter.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Version matching fed with claims of real evidence (the shared SEV-SNP vectors). */
class AppraisalMatchingTest {
  private static final String GO_SEV_GUEST_MEASUREMENT =
      "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01";

  static Claims goSevGuestClaims() throws Exception {
    Path dir = RepoPaths.requireVectors("sev-snp").resolve("go-sev-guest");
    EvidenceInput input =
        EvidenceInput.of(Files.readAllBytes(dir.resolve("attestation.bin")))
            .withCertificates(List.of(Files.readAllBytes(dir.resolve("vcek.testcer"))));
    VerificationResult result =
        SevSnpScheme.withPinnedRoots()
            .verify(
                input,
                ExpectedBinding.none(),
                VerificationContext.at(Instant.parse("2025-01-01T00:00:00Z")));
    assertThat(result.problems()).isEmpty();
    return result.claims();
  }

  static CompiledPolicy.AcceptedVersion version(String referenceValues) throws Exception {
    ReferenceValues values =
        ReferenceValues.parse(
            Json.readTree(referenceValues.replace('\'', '"')), BuiltInSchemes.registry());
    return new CompiledPolicy.AcceptedVersion(
        "v", "hash", values, Optional.empty(), Optional.empty(), List.of());
  }

  @Test
  void realSnpClaims_matchTheirReferenceValues_andMinimumTcb() throws Exception {
    Claims claims = goSevGuestClaims();
    assertThat(
            Appraiser.mismatch(
                version(
                    "{'sev-snp': {'measurement': '"
                        + GO_SEV_GUEST_MEASUREMENT.toUpperCase()
                        + "', "
                        + "'min': {'reported_tcb.snp': 5, 'reported_tcb.microcode': 68}}}"),
                "sev-snp",
                claims))
        .isEmpty();
    assertThat(
            Appraiser.mismatch(
                version(
                    "{'sev-snp': {'measurement': ['"
                        + "00".repeat(48)
                        + "', '"
                        + GO_SEV_GUEST_MEASUREMENT
                        + "'], 'vmpl': 0}}"),
                "sev-snp",
                claims))
        .isEmpty();
  }

  @Test
  void realSnpClaims_refusedOnEveryDifference() throws Exception {
    Claims claims = goSevGuestClaims();
    assertThat(
            Appraiser.mismatch(
                version("{'sev-snp': {'measurement': '" + "00".repeat(48) + "'}}"),
                "sev-snp",
                claims))
        .contains("measurement differs");
    assertThat(
            Appraiser.mismatch(
                version(
                    "{'sev-snp': {'measurement': '"
                        + GO_SEV_GUEST_MEASUREMENT
                        + "', 'min': {'reported_tcb.snp': 6}}}"),
                "sev-snp",
                claims))
        .contains("reported_tcb.snp is below the minimum 6");
    assertThat(
            Appraiser.mismatch(version("{'sev-snp': {'debug_allowed': false}}"), "sev-snp", claims))
        .contains("debug_allowed differs");
    assertThat(
            Appraiser.mismatch(
                version("{'tdx': {'mr_td': '" + "00".repeat(48) + "'}}"), "sev-snp", claims))
        .contains("no reference values for sev-snp");
  }
}
