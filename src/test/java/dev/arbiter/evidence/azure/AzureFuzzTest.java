// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.dcap.DcapFixtures;
import dev.arbiter.evidence.sevsnp.Product;
import dev.arbiter.evidence.sevsnp.SnpFixtures;
import dev.arbiter.evidence.tdx.TdxScheme;
import dev.arbiter.evidence.tpm.TpmScheme;
import dev.arbiter.problem.ProblemException;
import java.util.List;

/**
 * Fuzzes the HCL report, runtime data, vTPM quote and container parsers and the whole composition
 * (called below the schemes' catch-all, so a bug surfaces as an exception): any input must parse or
 * fail with a typed problem. The normal run replays {@code AzureFuzzTestInputs/} (written by {@link
 * AzureCorpusGenerator}).
 */
class AzureFuzzTest {
  private static final VerificationContext AT = VerificationContext.at(SnpFixtures.NOW);
  private static final Hardware SNP = new SnpHardware(SnpFixtures.pki(Product.MILAN).scheme());
  private static final Hardware TDX = new TdxHardware(new TdxScheme(DcapFixtures.create().trust()));
  private static final TpmScheme TPM = TpmScheme.withoutCas();

  @FuzzTest(maxDuration = "60s")
  void hclReport(byte[] input) {
    try {
      HclReport hcl = HclReport.parse(input);
      RuntimeData.parse(hcl.runtimeData());
      if (hcl.reportType() == HclReport.ReportType.TDX) {
        TdReportFields.parse(hcl.hardwareReport());
      }
    } catch (ProblemException expected) {
      assertThat(expected.problems()).isNotEmpty();
    }
    for (Hardware hardware : List.of(SNP, TDX)) {
      VerificationResult result =
          AzureVerification.run(
              "fuzz", hardware, TPM, EvidenceInput.of(input), ExpectedBinding.none(), AT);
      assertThat(result.valid()).isFalse();
    }
  }

  @FuzzTest(maxDuration = "60s")
  void container(byte[] input) {
    try {
      AzureEvidence.decode(EvidenceInput.of(input));
    } catch (ProblemException expected) {
      assertThat(expected.problems()).isNotEmpty();
    }
    try {
      VtpmQuote.parse(input);
    } catch (ProblemException expected) {
      assertThat(expected.problems()).isNotEmpty();
    }
    EvidenceInput withQuote =
        EvidenceInput.of(input)
            .withSignature(input)
            .withCollateral(List.of(new EvidenceInput.Collateral("fuzz", input)));
    for (Hardware hardware : List.of(SNP, TDX)) {
      assertThat(
              AzureVerification.run(
                      "fuzz", hardware, TPM, EvidenceInput.of(input), ExpectedBinding.none(), AT)
                  .valid())
          .isFalse();
      assertThat(
              AzureVerification.run("fuzz", hardware, TPM, withQuote, ExpectedBinding.none(), AT)
                  .valid())
          .isFalse();
    }
  }
}
