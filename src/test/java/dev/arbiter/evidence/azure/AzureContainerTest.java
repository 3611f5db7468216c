// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import static dev.arbiter.evidence.azure.AzureConformanceTest.types;
import static dev.arbiter.evidence.azure.AzureSnpSchemeTest.AT;
import static dev.arbiter.evidence.azure.AzureSnpSchemeTest.NONCE;
import static dev.arbiter.evidence.azure.AzureSnpSchemeTest.SCHEME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evidence forms: trustee v1/v0 JSON, bare HCL report with a JSON or bincode vTPM quote. */
class AzureContainerTest {
  @Test
  void verify_splitFormsWithBincodeQuote_isValid() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec());
    EvidenceInput input =
        EvidenceInput.of(built.hcl())
            .withCertificates(List.of(built.vcekDer()))
            .withSignature(
                VtpmQuoteBuilder.bincode(
                    built.quoteSignature(), built.quoteMessage(), built.pcrs()));

    assertThat(SCHEME.verify(input, NONCE, AT).problems()).isEmpty();
  }

  @Test
  void verify_trusteeV0JsonWithByteArrays_isValid() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec());
    String json =
        "{\"hcl_report\":"
            + array(built.hcl())
            + ",\"vcek\":"
            + array(built.vcekDer())
            + ",\"tpm_quote\":{\"signature\":"
            + array(built.quoteSignature())
            + ",\"message\":"
            + array(built.quoteMessage())
            + ",\"pcrs\":["
            + String.join(",", built.pcrs().stream().map(AzureContainerTest::array).toList())
            + "]}}";
    VerificationResult result =
        SCHEME.verify(EvidenceInput.of(json.getBytes(StandardCharsets.UTF_8)), NONCE, AT);
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void verify_unknownJsonMemberOrVersion_isRefused() {
    String json =
        new String(
            AzureFixtures.build(AzureFixtures.spec()).evidenceJson(), StandardCharsets.UTF_8);
    assertThat(
            types(
                SCHEME
                    .verify(
                        EvidenceInput.of(
                            json.replace("\"version\":1", "\"version\":3")
                                .getBytes(StandardCharsets.UTF_8)),
                        NONCE,
                        AT)
                    .problems()))
        .containsExactly("unsupported-version");
    assertThat(
            types(
                SCHEME
                    .verify(
                        EvidenceInput.of(
                            json.replace("\"version\":1", "\"extra\":1")
                                .getBytes(StandardCharsets.UTF_8)),
                        NONCE,
                        AT)
                    .problems()))
        .containsExactly("evidence-malformed");
  }

  @Test
  void verify_missingQuote_isEvidenceMalformed() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec());
    EvidenceInput input = EvidenceInput.of(built.hcl()).withCertificates(List.of(built.vcekDer()));
    assertThat(types(SCHEME.verify(input, NONCE, AT).problems()))
        .containsExactly("evidence-malformed");
  }

  @Test
  void verify_pcrCountDiffersFromSelection_isMeasurementMismatch() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec());
    EvidenceInput input =
        EvidenceInput.of(built.hcl())
            .withCertificates(List.of(built.vcekDer()))
            .withSignature(
                VtpmQuoteBuilder.bincode(
                    built.quoteSignature(), built.quoteMessage(), built.pcrs().subList(0, 23)));
    assertThat(types(SCHEME.verify(input, NONCE, AT).problems()))
        .containsExactly("measurement-mismatch");
  }

  @Test
  void verify_quoteGivenTwice_isEvidenceMalformed() {
    AzureFixtures.Built built = AzureFixtures.build(AzureFixtures.spec());
    EvidenceInput input =
        built.input().withSignature(built.quoteJson().getBytes(StandardCharsets.UTF_8));
    assertThat(types(SCHEME.verify(input, NONCE, AT).problems()))
        .containsExactly("evidence-malformed");
  }

  private static String array(byte[] bytes) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < bytes.length; i++) {
      out.append(i == 0 ? "" : ",").append(bytes[i] & 0xff);
    }
    return out.append(']').toString();
  }
}
