// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tdx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbiter.cli.Inputs;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.internal.Json;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared TDX vectors (../shared/vectors/tdx/MANIFEST.md), verified at their fixed times under
 * the pinned Intel root.
 */
class TdxConformanceTest {
  private static final TdxScheme SCHEME = TdxScheme.withPinnedRoots();
  private static final String ZERO48 = "00".repeat(48);
  private Path vectors;

  @BeforeEach
  void locate() {
    vectors = RepoPaths.requireVectors("tdx");
  }

  private VerificationResult verify(
      String quote, String at, List<EvidenceInput.Collateral> collateral) throws IOException {
    byte[] evidence = Inputs.decodeEvidence(Files.readAllBytes(vectors.resolve(quote)));
    return SCHEME.verify(
        EvidenceInput.of(evidence).withCollateral(collateral),
        ExpectedBinding.none(),
        VerificationContext.at(Instant.parse(at)));
  }

  private List<EvidenceInput.Collateral> files(String... names) throws IOException {
    List<EvidenceInput.Collateral> out = new ArrayList<>();
    for (String name : names) {
      out.add(new EvidenceInput.Collateral(name, Files.readAllBytes(vectors.resolve(name))));
    }
    return out;
  }

  private List<EvidenceInput.Collateral> goTdxGuest2023() throws IOException {
    return files(
        "go-tdx-guest/sample_tcbInfo_response",
        "go-tdx-guest/sample_qeIdentity_response",
        "go-tdx-guest/pckcrl",
        "go-tdx-guest/rootcrl.der",
        "go-tdx-guest/tcbInfoIssuerChain.pem");
  }

  private static List<EvidenceProblem> types(VerificationResult result) {
    return result.problems().stream().map(p -> (EvidenceProblem) p.type()).toList();
  }

  private static Object claim(VerificationResult result, String name) {
    return result.claims().get(name).orElse(null);
  }

  @Test
  void goTdxGuestSprE4_noTcbLevelMatches() throws IOException {
    VerificationResult result =
        verify("go-tdx-guest/tdx_prod_quote_SPR_E4.dat", "2023-07-01T01:00:00Z", goTdxGuest2023());
    assertThat(types(result)).containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
    assertThat(result.problems().get(0).detail()).contains("no TCB level");
    assertThat(claim(result, "version")).isEqualTo(4L);
    assertThat(claim(result, "mr_td"))
        .isEqualTo(
            "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb");
    assertThat(claim(result, "mr_seam"))
        .isEqualTo(
            "2fd279c16164a93dd5bf373d834328d46008c2b693af9ebb865b08b2ced320c9a89b4869a9fab60fbe9d0c5a5363c656");
    assertThat(claim(result, "rtmr0"))
        .isEqualTo(
            "2927da70461cd63266f43230cc1849c03ef25ebe490062a801d8fcc80af42976823adf08f833c1e50b51779c6593f32a");
    assertThat(claim(result, "rtmr1"))
        .isEqualTo(
            "2c700b8ba9b85783f8be9fb9443647bdc0bb3c50747f06297cc6538c25a5f589c4b56d035c59107c6bc5800db2cacb61");
    assertThat(claim(result, "rtmr2"))
        .isEqualTo(
            "8652f0caaba7e215ea442dc36a4499d8fec3362f3a0b2ca151cbe4b3e6466fe59c7368b3c2287fc7c3bf5c924eb4424e");
    assertThat(claim(result, "rtmr3")).isEqualTo(ZERO48);
    assertThat(claim(result, "tee_tcb_svn")).isEqualTo("03000400000000000000000000000000");
    assertThat(claim(result, "fmspc")).isEqualTo("50806f000000");
    assertThat(claim(result, "revocation")).isEqualTo("checked");
  }

  @Test
  void goTdxGuestSprE4_in2053_collateralExpired() throws IOException {
    VerificationResult result =
        verify("go-tdx-guest/tdx_prod_quote_SPR_E4.dat", "2053-07-01T00:00:00Z", goTdxGuest2023());
    assertThat(types(result)).contains(EvidenceProblem.COLLATERAL_EXPIRED);
  }

  @Test
  void trusteeTdxQuote4_upToDateDebugTd() throws IOException {
    VerificationResult result =
        verify("trustee-tdx/tdx_quote_4.dat", "2023-07-01T01:00:00Z", goTdxGuest2023());
    assertThat(result.problems()).isEmpty();
    assertThat(claim(result, "tcb_status")).isEqualTo("UpToDate");
    assertThat(claim(result, "advisory_ids")).isEqualTo(List.of());
    assertThat(claim(result, "debug")).isEqualTo(true);
    assertThat(claim(result, "mr_td"))
        .isEqualTo(
            "705ee9381b8633a9fbe532b52345e8433343d2868959f57889d84ca377c395b689cac1599ccea1b7d420483a9ce5f031");
    assertThat(claim(result, "rtmr0"))
        .isEqualTo(
            "e940da7c2712d2790e2961e00484f4fa8e6f9eed71361655ae22699476b14f9e63867eb41edd4b480fef0c59f496b288");
    assertThat(claim(result, "report_data"))
        .isEqualTo(
            "7c71fe2c86eff65a7cf8dbc22b3275689fd0464a267baced1bf94fc1324656aeb755da3d44d098c0c87382f3a5f85b45c8a28fee1d3bdb38342bf96671501429");
  }

  @Test
  void goTdxGuestQuoteV5Td15_upToDate() throws IOException {
    VerificationResult result =
        verify(
            "go-tdx-guest/quote_v5_sample.dat",
            "2026-02-20T00:00:00Z",
            files(
                "go-tdx-guest/sample_tcbinfo_response_v5",
                "dcap-qvl/tdx_quote_outdated_collateral.json"));
    assertThat(result.problems()).isEmpty();
    assertThat(claim(result, "version")).isEqualTo(5L);
    assertThat(claim(result, "tcb_status")).isEqualTo("UpToDate");
    assertThat(claim(result, "fmspc")).isEqualTo("90c06f000000");
    assertThat(claim(result, "mr_td"))
        .isEqualTo(
            "7348651a34b2d2d3462822e3a750ec6110125f36757c78480bbfc69cc0d21fb001a1ced3ee19747dda8f750c3bc8f876");
    assertThat(claim(result, "tee_tcb_svn")).isEqualTo("0b010400000000000000000000000000");
    assertThat(claim(result, "tee_tcb_svn2")).isEqualTo("0d010400000000000000000000000000");
    assertThat(claim(result, "rtmr2"))
        .isEqualTo(
            "6369b9c9a3b791ebcbdc5a0bb9536cfb57f50df2b393b33c8b29616d3568baa61f4b59dc6092e31ea8764bcbdfc69f20");
  }

  @Test
  void cos113WithZkdcapCollateral_upToDateUnderIntelRule() throws IOException {
    VerificationResult result =
        verify("go-tdx-guest/cos-113-tdx-quote.dat", "2025-02-01T00:00:00Z", zkdcap());
    assertThat(result.problems()).isEmpty();
    assertThat(claim(result, "tcb_status")).isEqualTo("UpToDate");
    assertThat(claim(result, "advisory_ids")).isEqualTo(List.of());
    assertThat(claim(result, "mr_td"))
        .isEqualTo(
            "dae67181d3d65e073ad8f95b7907d5e927bfe9761c9ff3e9b89734a45d8954dba41394c7717cb2735396c1d04231f94a");
    assertThat(claim(result, "revocation")).isEqualTo("checked");
  }

  @Test
  void dcapQvlTdxQuote_upToDate() throws IOException {
    VerificationResult result =
        verify(
            "dcap-qvl/tdx_quote",
            "2025-06-20T00:00:00Z",
            files("dcap-qvl/tdx_quote_collateral.json"));
    assertThat(result.problems()).isEmpty();
    assertThat(claim(result, "tcb_status")).isEqualTo("UpToDate");
    assertThat(claim(result, "advisory_ids")).isEqualTo(List.of());
    assertThat(claim(result, "fmspc")).isEqualTo("b0c06f000000");
    assertThat(claim(result, "mr_td"))
        .isEqualTo(
            "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7");
    assertThat(claim(result, "rtmr1"))
        .isEqualTo(
            "0084452c01668329d4bc06acdf58a7205c26743304509973949e5619bf81a6a7aea8c323c173019b3093d54e579e9378");
    assertThat(claim(result, "revocation")).isEqualTo("checked");
  }

  @Test
  void dcapQvlOutdated_noTcbLevelMatches() throws IOException {
    VerificationResult result =
        verify(
            "dcap-qvl/tdx_quote_outdated",
            "2026-03-01T00:00:00Z",
            files("dcap-qvl/tdx_quote_outdated_collateral.json"));
    assertThat(types(result)).containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
    assertThat(claim(result, "mr_td"))
        .isEqualTo(
            "273828c46252fcbdd8ad2dd907130222b03466d52a2911d70c1a5950895d6bd1ae451d382d5a9b1b4c0ed0e5ae9a3dbd");
    assertThat(claim(result, "revocation")).isEqualTo("checked");
  }

  @Test
  void dcapQvlHexQuote_noTcbLevelMatches() throws IOException {
    VerificationResult result =
        verify(
            "dcap-qvl/tdx-quote.hex",
            "2025-06-20T00:00:00Z",
            files("dcap-qvl/tdx_quote_collateral.json"));
    assertThat(types(result)).containsExactly(EvidenceProblem.COLLATERAL_MISMATCH);
    assertThat(claim(result, "mr_td"))
        .isEqualTo(
            "7ba9e262ce6979087e34632603f354dd8f8a870f5947d116af8114db6c9d0d74c48bec4280e5b4f4a37025a10905bb29");
    assertThat(claim(result, "rtmr3"))
        .isEqualTo(
            "547fcba4630bfb981169a8a1903b79c244933413409dd0387acbd8e3b985bcc9164cf52735cd31f60bf2c5d1220c113f");
  }

  @Test
  void zkdcap_outOfDateWithAdvisories() throws IOException {
    VerificationResult result =
        verify("zkdcap/quote_tdx_00806f050000.dat", "2025-01-21T13:44:20Z", zkdcap());
    assertThat(result.problems()).isEmpty();
    assertThat(claim(result, "tcb_status")).isEqualTo("OutOfDate");
    assertThat(claim(result, "advisory_ids"))
        .isEqualTo(List.of("INTEL-SA-00960", "INTEL-SA-00982", "INTEL-SA-00986"));
    assertThat(claim(result, "mr_td"))
        .isEqualTo(
            "935be7742dd89c6a4df6dba8353d89041ae0f052beef993b1e7f4524d3bc57650df20e5582158352e1240b3f1fed55d8");
    assertThat(claim(result, "fmspc")).isEqualTo("00806f050000");
  }

  @Test
  void oak_chainAndCrlValidWithoutTcbInfo() throws IOException {
    JsonNode collateral =
        Json.readTree(Files.readAllBytes(vectors.resolve("dcap-qvl/tdx_quote_collateral.json")));
    List<EvidenceInput.Collateral> crls =
        List.of(
            new EvidenceInput.Collateral(
                "pck.crl", Hex.decode(collateral.get("pck_crl").textValue())),
            new EvidenceInput.Collateral(
                "root.crl", Hex.decode(collateral.get("root_ca_crl").textValue())));
    VerificationResult result = verify("oak/tdx_oc.quote.bin", "2025-06-20T00:00:00Z", crls);
    assertThat(result.problems()).isEmpty();
    assertThat(claim(result, "tcb_status")).isEqualTo("unknown");
    assertThat(claim(result, "revocation")).isEqualTo("checked");
    assertThat(claim(result, "mr_td"))
        .isEqualTo(
            "7b5ee9a304d036f963dbd194c329cb2524817ee91bcf1cff23efe88a25af827c11e04cbf264ae401e5b17fc2e18736be");
    assertThat(claim(result, "rtmr2"))
        .isEqualTo(
            "3b5936af913e65c22eb7e9cf8a1460f05e48653d606389a57cad30e144b87cec1bea6a9d2a19008d2a0ca02730c5e1d7");
  }

  @Test
  void tamperedVector_signatureInvalid() throws IOException {
    byte[] quote = Files.readAllBytes(vectors.resolve("dcap-qvl/tdx_quote"));
    quote[48 + 136] ^= 1; // a byte of mr_td
    VerificationResult result =
        SCHEME.verify(
            EvidenceInput.of(quote),
            ExpectedBinding.none(),
            VerificationContext.at(Instant.parse("2025-06-20T00:00:00Z")));
    assertThat(types(result)).containsExactly(EvidenceProblem.SIGNATURE_INVALID);
  }

  private List<EvidenceInput.Collateral> zkdcap() throws IOException {
    return files(
        "zkdcap/tcbinfov3_00806f050000.json",
        "zkdcap/qeidentityv2_tdx.json",
        "zkdcap/pck_platform_crl.der",
        "zkdcap/intel_root_ca_crl.der",
        "zkdcap/tcb_signing_cert.pem");
  }
}
