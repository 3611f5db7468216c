// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbiter.internal.Json;
import dev.arbiter.policy.ReferenceValues;
import dev.arbiter.problem.ProblemException;
import dev.arbiter.schemes.BuiltInSchemes;
import org.junit.jupiter.api.Test;

/** Reference values for the Azure schemes may name the flat hardware claims and the PCRs. */
class AzureReferenceValuesTest {
  @Test
  void parse_snpMeasurementPcrsAndTcbMinimum_isAccepted() {
    String document =
        "{\"azure-snp-vtpm\": {\"measurement\": \""
            + "6a".repeat(48)
            + "\", \"pcr0\": \""
            + "e1".repeat(32)
            + "\", \"pcr23\": [\""
            + "00".repeat(32)
            + "\"], \"vm_configuration.secure_boot\": true,"
            + " \"min\": {\"reported_tcb.snp\": 24, \"reported_tcb.microcode\": 219}},"
            + " \"azure-tdx-vtpm\": {\"mr_td\": \""
            + "11".repeat(48)
            + "\", \"rtmr0\": \""
            + "a0".repeat(48)
            + "\", \"pcr7\": \""
            + "08".repeat(32)
            + "\"}}";
    assertThatCode(() -> ReferenceValues.parse(Json.readTree(document), BuiltInSchemes.registry()))
        .doesNotThrowAnyException();
  }

  @Test
  void parse_claimOfTheOtherHardware_isRefusedNamingTheField() {
    String document = "{\"azure-snp-vtpm\": {\"mr_td\": \"" + "11".repeat(48) + "\"}}";
    assertThatThrownBy(
            () -> ReferenceValues.parse(Json.readTree(document), BuiltInSchemes.registry()))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("azure-snp-vtpm.mr_td");
  }
}
