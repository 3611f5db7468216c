// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sgx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.EvidenceProblem;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
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
 * The shared SGX vectors (../shared/vectors/sgx/MANIFEST.md), verified at their fixed times under
 * the pinned Intel root.
 */
class SgxConformanceTest {
  private static final SgxScheme SCHEME = SgxScheme.withPinnedRoots();
  private static final String MOBILECOIN_TIME = "2023-07-12T20:48:25Z";
  private Path vectors;

  @BeforeEach
  void locate() {
    vectors = RepoPaths.requireVectors("sgx");
  }

  private VerificationResult verify(
      String quote, VerificationContext context, List<EvidenceInput.Collateral> collateral)
      throws IOException {
    return SCHEME.verify(
        EvidenceInput.of(Files.readAllBytes(vectors.resolve(quote))).withCollateral(collateral),
        ExpectedBinding.none(),
        context);
  }

  private List<EvidenceInput.Collateral> files(Path base, String... names) throws IOException {
    List<EvidenceInput.Collateral> out = new ArrayList<>();
    for (String name : names) {
      out.add(new EvidenceInput.Collateral(name, Files.readAllBytes(base.resolve(name))));
    }
    return out;
  }

  private List<EvidenceInput.Collateral> mobilecoin(String tcbInfo) throws IOException {
    return files(
        vectors.resolve("mobilecoin-attestation"),
        tcbInfo,
        "qe_identity.json",
        "tcb_signer.pem",
        "processor_crl.der",
        "root_crl.der");
  }

  private static List<EvidenceProblem> types(VerificationResult result) {
    return result.problems().stream().map(p -> (EvidenceProblem) p.type()).toList();
  }

  private static Object claim(VerificationResult result, String name) {
    return result.claims().get(name).orElse(null);
  }

  @Test
  void dcapQvlSgxQuote_configurationAndSwHardeningNeeded() throws IOException {
    VerificationResult result =
        verify(
            "dcap-qvl/sgx_quote",
            VerificationContext.at(Instant.parse("2025-06-20T00:00:00Z")),
            files(vectors, "dcap-qvl/sgx_quote_collateral.json"));
    assertThat(result.problems()).isEmpty();
    assertThat(claim(result, "tcb_status")).isEqualTo("ConfigurationAndSWHardeningNeeded");
    assertThat(claim(result, "advisory_ids"))
        .isEqualTo(List.of("INTEL-SA-00289", "INTEL-SA-00615"));
    assertThat(claim(result, "fmspc")).isEqualTo("00a067110000");
    assertThat(claim(result, "mr_enclave"))
        .isEqualTo("33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb");
    assertThat(claim(result, "mr_signer"))
        .isEqualTo("815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6");
    assertThat(claim(result, "report_data"))
        .isEqualTo("48656c6c6f2c20776f726c6421" + "00".repeat(51));
    assertThat(claim(result, "isv_prod_id")).isEqualTo(0L);
    assertThat(claim(result, "isv_svn")).isEqualTo(0L);
    assertThat(claim(result, "revocation")).isEqualTo("checked");
  }

  @Test
  void mobilecoin_strictCrlFreshness_failsWithCrlStale() throws IOException {
    VerificationResult result =
        verify(
            "mobilecoin-attestation/hw_quote.dat",
            VerificationContext.at(Instant.parse(MOBILECOIN_TIME)),
            mobilecoin("fmspc_00906ED50000_2023_07_12.json"));
    assertThat(types(result)).containsExactly(EvidenceProblem.CRL_STALE);
  }

  @Test
  void mobilecoin_staleCrlAllowed_swHardeningNeeded() throws IOException {
    VerificationResult result =
        verify(
            "mobilecoin-attestation/hw_quote.dat",
            VerificationContext.at(Instant.parse(MOBILECOIN_TIME)).withAllowStaleCrl(true),
            mobilecoin("fmspc_00906ED50000_2023_07_12.json"));
    assertThat(result.problems()).isEmpty();
    assertThat(claim(result, "tcb_status")).isEqualTo("SWHardeningNeeded");
    assertThat(claim(result, "advisory_ids"))
        .isEqualTo(List.of("INTEL-SA-00334", "INTEL-SA-00615"));
    assertThat(claim(result, "mr_enclave"))
        .isEqualTo("840d61b0585dc8b4dc90f53af293c760fda06bee75978a6a86263ffb296423f4");
    assertThat(claim(result, "mr_signer"))
        .isEqualTo("9f06df5ca79a23ffdfb6ca0ec85514e21dd1cbd1ed11abc45dbe8dc894efdddf");
    assertThat(claim(result, "fmspc")).isEqualTo("00906ed50000");
  }

  @Test
  void mobilecoin_exampleTcbInfo_rejectedForFmspcAndSignature() throws IOException {
    VerificationResult result =
        verify(
            "mobilecoin-attestation/hw_quote.dat",
            VerificationContext.at(Instant.parse(MOBILECOIN_TIME)).withAllowStaleCrl(true),
            mobilecoin("example_tcb.json"));
    assertThat(types(result))
        .containsExactlyInAnyOrder(
            EvidenceProblem.COLLATERAL_MISMATCH, EvidenceProblem.COLLATERAL_INVALID);
  }

  @Test
  void occlum_chainAndCrlValid() throws IOException {
    Path tdx = RepoPaths.requireVectors("tdx");
    VerificationResult result =
        verify(
            "trustee-sgx/occlum_quote.dat",
            VerificationContext.at(Instant.parse("2023-07-01T01:00:00Z")),
            files(tdx, "go-tdx-guest/pckcrl", "go-tdx-guest/rootcrl.der"));
    assertThat(result.problems()).isEmpty();
    assertThat(claim(result, "revocation")).isEqualTo("checked");
    assertThat(claim(result, "tcb_status")).isEqualTo("unknown");
    assertThat(claim(result, "fmspc")).isEqualTo("00606a000000");
    assertThat(claim(result, "mr_enclave"))
        .isEqualTo("8f173e4613ff05c52aaf04162d234edae8c9977eae47eb2299ae16a553011c68");
    assertThat(claim(result, "report_data")).isEqualTo("74657374" + "00".repeat(60));
    assertThat(claim(result, "debug")).isEqualTo(true);
  }

  @Test
  void mobilecoin_wholeDirectoryAsCollateral_picksTheApplicableTcbInfo() throws IOException {
    Path directory = vectors.resolve("mobilecoin-attestation");
    List<EvidenceInput.Collateral> all = new ArrayList<>();
    try (var files = Files.list(directory)) {
      for (Path file : files.sorted().toList()) {
        all.add(
            new EvidenceInput.Collateral(file.getFileName().toString(), Files.readAllBytes(file)));
      }
    }
    VerificationResult result =
        verify(
            "mobilecoin-attestation/hw_quote.dat",
            VerificationContext.at(Instant.parse(MOBILECOIN_TIME)).withAllowStaleCrl(true),
            all);
    assertThat(result.problems()).isEmpty();
    assertThat(claim(result, "tcb_status")).isEqualTo("SWHardeningNeeded");
  }
}
