// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import static dev.arbiter.evidence.sevsnp.SevSnpSchemeTest.AT;
import static dev.arbiter.evidence.sevsnp.SevSnpSchemeTest.der;
import static dev.arbiter.evidence.sevsnp.SevSnpSchemeTest.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evidence containers: extended report, configfs-tsm JSON, Azure HCL, PEM bundles. */
class EvidenceFormsTest {
  private final SnpFixtures.Pki pki = SnpFixtures.pki(Product.GENOA);
  private final byte[] chipId = SnpFixtures.chipId(Product.GENOA, 5);
  private final SnpFixtures.KeyCert vcek = SnpFixtures.vcek(pki, chipId, SnpFixtures.TCB);
  private final byte[] report =
      SnpFixtures.report(Product.GENOA).chipId(chipId).signedBy(vcek.key().getPrivate());

  private VerificationResult verify(EvidenceInput input) {
    return pki.scheme().verify(input, ExpectedBinding.none(), AT);
  }

  @Test
  void extendedReport_takesTheVcekFromTheCertificateTable() {
    byte[] table = SnpCorpusGenerator.certificateTable(der(vcek.certificate()));
    VerificationResult result = verify(EvidenceInput.of(SnpCorpusGenerator.concat(report, table)));
    assertThat(result.problems()).isEmpty();
    assertThat(result.claims().get("product")).contains("genoa");
  }

  @Test
  void configfsTsmJson_withPemVcekInAuxblob_isValid() {
    byte[] pem = Certificates.toPem(vcek.certificate()).getBytes(StandardCharsets.US_ASCII);
    String json =
        "{\"outblob\":\""
            + Base64.getUrlEncoder().withoutPadding().encodeToString(report)
            + "\",\"auxblob\":\""
            + Base64.getUrlEncoder().encodeToString(SnpCorpusGenerator.certificateTable(pem))
            + "\",\"provider\":\"sev_guest\\n\"}";
    VerificationResult result = verify(EvidenceInput.of(json.getBytes(StandardCharsets.US_ASCII)));
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void configfsTsmJson_withoutAuxblobOrCert_isCertificateMissing() {
    String json = "{\"outblob\":\"" + Base64.getEncoder().encodeToString(report) + "\"}";
    assertThat(types(verify(EvidenceInput.of(json.getBytes(StandardCharsets.US_ASCII)))))
        .containsExactly("CERTIFICATE_MISSING");
  }

  @Test
  void configfsTsmJson_notStrictBase64_isMalformed() {
    String b64 = Base64.getEncoder().encodeToString(report);
    assertThat(b64).containsAnyOf("+", "/");
    // wrapped (a JSON-escaped newline), mixed alphabets, wrong padding, white space: one decoder
    // (internal.Encodings) refuses them all
    for (String outblob :
        List.of(
            b64.substring(0, 76) + "\\n" + b64.substring(76),
            "-" + b64.substring(1),
            b64 + "=",
            " " + b64)) {
      String json = "{\"outblob\":\"" + outblob + "\"}";
      assertThat(types(verify(EvidenceInput.of(json.getBytes(StandardCharsets.US_ASCII)))))
          .as(outblob.substring(0, 8))
          .containsExactly("EVIDENCE_MALFORMED");
    }
  }

  @Test
  void azureHclReport_isTheReportAtOffset32() {
    byte[] hcl = new byte[32 + report.length + 100];
    hcl[0] = 'H';
    hcl[1] = 'C';
    hcl[2] = 'L';
    hcl[3] = 'A';
    System.arraycopy(report, 0, hcl, 32, report.length);
    VerificationResult result =
        verify(EvidenceInput.of(hcl).withCertificates(List.of(der(vcek.certificate()))));
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void pemBundle_vcekWithAskAndArk_picksTheVcekAndIgnoresTheSuppliedRoots() {
    String bundle =
        Certificates.toPem(vcek.certificate())
            + Certificates.toPem(pki.ask())
            + Certificates.toPem(pki.ark());
    VerificationResult result =
        verify(
            EvidenceInput.of(report)
                .withCertificates(List.of(bundle.getBytes(StandardCharsets.US_ASCII))));
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void badCertificateTable_pointingOutside_isEvidenceMalformed() {
    byte[] table = SnpCorpusGenerator.certificateTable(der(vcek.certificate()));
    table[20] = (byte) 0xff; // length
    table[21] = (byte) 0xff;
    assertThat(types(verify(EvidenceInput.of(SnpCorpusGenerator.concat(report, table)))))
        .containsExactly("EVIDENCE_MALFORMED");
  }

  @Test
  void badCertificateTable_truncated_isEvidenceMalformed() {
    byte[] table = Arrays.copyOf(SnpCorpusGenerator.certificateTable(der(vcek.certificate())), 30);
    table = Arrays.copyOf(table, 48);
    Arrays.fill(table, 24, 48, (byte) 0x11);
    assertThat(types(verify(EvidenceInput.of(SnpCorpusGenerator.concat(report, table)))))
        .containsExactly("EVIDENCE_MALFORMED");
  }

  @Test
  void badJson_isEvidenceMalformed() {
    for (String json :
        List.of("{", "{\"outblob\": 5}", "{\"outblob\": \"!!!\"}", "{\"other\": 1}", "[1]")) {
      assertThat(types(verify(EvidenceInput.of(json.getBytes(StandardCharsets.US_ASCII)))))
          .as(json)
          .containsExactly("EVIDENCE_MALFORMED");
    }
  }
}
