// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbiter.cli.Inputs;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.ExpectedBinding;
import dev.arbiter.evidence.VerificationContext;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.internal.Hex;
import dev.arbiter.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real AMD vectors in ../shared/vectors/sev-snp, each verified against the pinned AMD roots at
 * its MANIFEST's fixed time, checking the facts the MANIFEST lists; negative vectors fail with
 * their specific problem.
 */
class SevSnpConformanceTest {
  private static final SevSnpScheme SCHEME = SevSnpScheme.withPinnedRoots();
  private static Path dir;

  /** One positive vector and its MANIFEST facts (reported_tcb as bl/tee/snp/ucode[/fmc]). */
  record Vector(
      String evidence,
      String cert,
      String at,
      long version,
      String product,
      String signingKey,
      long policy,
      long vmpl,
      long guestSvn,
      String measurement,
      String reportDataPrefix,
      String chipIdPrefix,
      List<Integer> tcb) {
    @Override
    public String toString() {
      return evidence;
    }
  }

  @BeforeAll
  static void vectors() {
    dir = RepoPaths.requireVectors("sev-snp");
  }

  static Stream<Vector> positives() {
    return Stream.of(
        new Vector(
            "go-sev-guest/attestation.bin",
            "go-sev-guest/vcek.testcer",
            "2025-01-01T00:00:00Z",
            2,
            "milan",
            "vcek",
            0xb0000,
            0,
            0,
            "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01",
            "0102030405" + "00".repeat(59),
            "3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bdd3b8e53786184ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d",
            List.of(2, 0, 5, 68)),
        new Vector(
            "virtee-sev/report_milan.hex",
            "virtee-sev/vcek_milan.der",
            "2025-01-01T00:00:00Z",
            2,
            "milan",
            "vcek",
            0x30000,
            0,
            0,
            "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f",
            "d447b55d197491bfe15cf298f9de9986b7a7c4be2468b4f6e2d53b71d7c645810b0f2cdfca0040433be063fc1a8293f0f3f8dae7b79fecb3d1cd82bd6a93ebfd",
            "d49554ec717f4e5b0fe6b143bcf0405bd7ae304727edf46603f2a76aef6a3abc15d7af38db757039029f0efacfd08e244324884738c72b082e2f87a44d541eb6",
            List.of(3, 0, 8, 115)),
        new Vector(
            "trustee-snp-vlek/test-vlek-report.bin",
            "trustee-snp-vlek/test-vlek.der",
            "2025-01-01T00:00:00Z",
            3,
            "milan",
            "vlek",
            0x30000,
            1,
            0,
            "8922ebbdd00ec2c541f36a6e7a82a8773a7accb451ed67bc94e740dbe92c93c4e8c9af857f5ceeb5a493df2a570d7bf0",
            "819770b7e6ea6df8dd8fd4dd146b073c0bf4f3ce5b0977ecac486e3a05ed1bd54e2a7ac1f5d1ca02e7d7d5ef9f73b8574fd9359e3a480d741a4478e8a7bc27ca",
            "00".repeat(64),
            List.of(4, 0, 24, 217)),
        new Vector(
            "trustee-azure-snp/hcl-report.bin",
            "trustee-azure-snp/vcek.pem",
            "2025-01-01T00:00:00Z",
            2,
            "milan",
            "vcek",
            0x3001f,
            0,
            5,
            "9ac48fcac8a2d88aeeff8d427ad4f2be0e3917c748a18bdf52cc317e7fe20308b459d5ef1a12e0c22944eb386d17c315",
            "b3fbad6514c83caeb0380882145e49f794229ef37c421b91fc47ff93556bafac" + "00".repeat(32),
            "19752a447db501a32ade46428a46e92639bd3515dbb45e2e67bbcb0934ffcf1f3e3c004ccb4a99c9fa7e4ffb09da6b324ac58acedaf679f24ba7db5f838c6cca",
            List.of(3, 0, 8, 115)),
        new Vector(
            "trustee-azure-snp/hcl-report.snp-report.bin",
            "trustee-azure-snp/vcek.pem",
            "2025-01-01T00:00:00Z",
            2,
            "milan",
            "vcek",
            0x3001f,
            0,
            5,
            "9ac48fcac8a2d88aeeff8d427ad4f2be0e3917c748a18bdf52cc317e7fe20308b459d5ef1a12e0c22944eb386d17c315",
            "b3fbad6514c83caeb0380882145e49f794229ef37c421b91fc47ff93556bafac",
            "19752a447db501a3",
            List.of(3, 0, 8, 115)),
        new Vector(
            "trustee-azure-snp/evidence-v1.json",
            null,
            "2025-06-01T00:00:00Z",
            3,
            "milan",
            "vcek",
            0x3001f,
            0,
            10,
            "6a063be9dd79f6371c842e480f8dc3b5c725961344e57130e88c5adf49e8f7f6c79b75a5eb77fc769959f4aeb2f9401e",
            "af2910341dd8108360e485f1b72494255190b9cdd5ccb44b73b883037cf99f21" + "00".repeat(32),
            "66a5a7b4403a3006ca734aa36a76dd3061d56f398e1e73b0be683ecd2eede9e70811c677abf8d9c9251b52baafbdc97b8121ec0c75661ffba636073b09fa563a",
            List.of(4, 0, 24, 219)),
        new Vector(
            "oak/genoa_oc.report.bin",
            "oak/genoa_oc.vcek.der",
            "2026-01-01T00:00:00Z",
            5,
            "genoa",
            "vcek",
            0x30000,
            0,
            0,
            "c57729018b0a6fb90dc17bb138b0aa35e4401004283ff4a2c24d3739ff3750f52384370e77b7032862a08c440a9bc4dc",
            "8100555af0ad8e7525be6dffeed0af83e30bbacbf03b76e175e6894d1ed057ce" + "00".repeat(32),
            "d2421d976f95ce0ba849b7cc5c789122f1e59c77a037272c137ae4d188bb102adbc7c53d0302bff82a432c94a305dec7a7a270ceb19a10f04a83316c6486968d",
            List.of(10, 0, 25, 84)),
        new Vector(
            "oak/turin_oc.report.bin",
            "oak/turin_oc.vcek.der",
            "2026-01-01T00:00:00Z",
            5,
            "turin",
            "vcek",
            0x30000,
            0,
            0,
            "f924dd18f168df60fbea937f0b086284d51b1b376de872bac43694f61134d57967c318018de7335503023dbb50dee624",
            "e0fd0bdb6aa4030a6ddea9073e1fcec5be6c782a2c8075a0825dfb3d9a81b924" + "00".repeat(32),
            "3b42092f69c656d3" + "00".repeat(56),
            List.of(1, 0, 2, 71, 0)),
        new Vector(
            "oak/milan_oc_release.report.bin",
            "oak/milan_oc_release.vcek.der",
            "2026-01-01T00:00:00Z",
            3,
            "milan",
            "vcek",
            0x30000,
            0,
            0,
            "195b01b74976a1faba13bd85eaf787958f0a46e6dddd45c5bdbf8673522777842b8057ae5d866b75416efb62012deaa3",
            "a7ca989b0359ea4e5efc47bdbcad84b2df3f26fd09ee7bda5bb27953abf68992" + "00".repeat(32),
            "a3fdc2c64dc299ab90d4238973864b586378e2e5ef9c9d4dc608f3bdaa89a969a03f1b5752cad55a0c1547ade800dbd7404e9cb3f9738da3b280d1df69cf82e4",
            List.of(4, 0, 24, 219)),
        new Vector(
            "veraison-tsm/sevsnp-tsm-report.json",
            null,
            "2026-01-01T00:00:00Z",
            3,
            "genoa",
            "vcek",
            0x30000,
            0,
            0,
            "7699e6ac12ccdfd1dfac70e649ce1f046cb2afbb003438f4cdddfe2ccbe182fa5ffbe8dcdb930454324e10c52c788980",
            "4d4944424e48323869696f69736a5079787878787878787878787878787878784d4944424e48323869696f69736a507978787878787878787878787878787878",
            "7b1584c94c7a426164b2db1198903db0685b7f5fdabdf42d4da981b0de521d1d5d5d8a91932bbbc1b13f5d5cae45a7304657d9a9d01c50c435670f0562a5970b",
            List.of(10, 0, 23, 84)),
        new Vector(
            "veraison-tsm/sevsnp-tsm-report.outblob.bin",
            "veraison-tsm/sevsnp-tsm-report.vcek.pem",
            "2026-01-01T00:00:00Z",
            3,
            "genoa",
            "vcek",
            0x30000,
            0,
            0,
            "7699e6ac12ccdfd1dfac70e649ce1f046cb2afbb003438f4cdddfe2ccbe182fa5ffbe8dcdb930454324e10c52c788980",
            "4d4944424e4832",
            "7b1584c94c7a4261",
            List.of(10, 0, 23, 84)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("positives")
  void verify_positiveVector_isValidWithManifestFacts(Vector vector) throws IOException {
    VerificationResult result =
        SCHEME.verify(input(vector.evidence(), vector.cert()), binding(vector), at(vector.at()));

    assertThat(result.problems()).as(vector.evidence()).isEmpty();
    var claims = result.claims();
    assertThat(claims.get("version")).contains(vector.version());
    assertThat(claims.get("product")).contains(vector.product());
    assertThat(claims.get("signing_key")).contains(vector.signingKey());
    assertThat(claims.get("policy")).contains(vector.policy());
    assertThat(claims.get("vmpl")).contains(vector.vmpl());
    assertThat(claims.get("guest_svn")).contains(vector.guestSvn());
    assertThat(claims.get("measurement")).contains(vector.measurement());
    assertThat((String) claims.get("report_data").orElseThrow())
        .startsWith(vector.reportDataPrefix());
    assertThat((String) claims.get("chip_id").orElseThrow()).startsWith(vector.chipIdPrefix());
    assertThat(claims.get("debug_allowed")).contains((vector.policy() & (1L << 19)) != 0);
    assertThat(claims.get("revocation")).contains("unchecked");
    List<Integer> tcb = vector.tcb();
    assertThat(claims.get("reported_tcb"))
        .contains(
            tcb.size() == 5
                ? Map.of(
                    "bootloader",
                    (long) tcb.get(0),
                    "tee",
                    (long) tcb.get(1),
                    "snp",
                    (long) tcb.get(2),
                    "microcode",
                    (long) tcb.get(3),
                    "fmc",
                    (long) tcb.get(4))
                : Map.of(
                    "bootloader",
                    (long) tcb.get(0),
                    "tee",
                    (long) tcb.get(1),
                    "snp",
                    (long) tcb.get(2),
                    "microcode",
                    (long) tcb.get(3)));
  }

  /** MANIFEST facts per positive vector: platform_info and id_key_digest (null: all zero). */
  private static final Map<String, Object[]> PLATFORM_FACTS =
      Map.ofEntries(
          Map.entry("go-sev-guest/attestation.bin", new Object[] {0x1L, null}),
          Map.entry("virtee-sev/report_milan.hex", new Object[] {0x1L, null}),
          Map.entry("trustee-snp-vlek/test-vlek-report.bin", new Object[] {0x27L, null}),
          Map.entry(
              "trustee-azure-snp/hcl-report.bin",
              new Object[] {
                0x1L,
                "0356215882a825279a85b300b0b742931d113bf7e32dde2e50ffde7ec743ca491ecdd7f336dc28a6e0b2bb57af7a44a3"
              }),
          Map.entry(
              "trustee-azure-snp/hcl-report.snp-report.bin",
              new Object[] {
                0x1L,
                "0356215882a825279a85b300b0b742931d113bf7e32dde2e50ffde7ec743ca491ecdd7f336dc28a6e0b2bb57af7a44a3"
              }),
          Map.entry(
              "trustee-azure-snp/evidence-v1.json",
              new Object[] {
                0x25L,
                "942fd93ebde6ea7a96efadeafc60f1c6b3d10e703b1dafd7555b92f7f3d32d0e006767648cba5b102af3d65756af4177"
              }),
          Map.entry("oak/genoa_oc.report.bin", new Object[] {0x25L, null}),
          Map.entry("oak/turin_oc.report.bin", new Object[] {0x67L, null}),
          Map.entry("oak/milan_oc_release.report.bin", new Object[] {0x25L, null}),
          Map.entry("veraison-tsm/sevsnp-tsm-report.json", new Object[] {0x25L, null}),
          Map.entry("veraison-tsm/sevsnp-tsm-report.outblob.bin", new Object[] {0x25L, null}));

  @ParameterizedTest(name = "{0}")
  @MethodSource("positives")
  void verify_positiveVector_hasPolicyAndPlatformBitClaimsAndIdKeyDigestOfTheManifest(Vector vector)
      throws IOException {
    Object[] facts = PLATFORM_FACTS.get(vector.evidence());
    assertThat(facts).as("MANIFEST facts for " + vector.evidence()).isNotNull();
    long platformInfo = (Long) facts[0];
    VerificationResult result =
        SCHEME.verify(input(vector.evidence(), vector.cert()), binding(vector), at(vector.at()));

    var claims = result.claims();
    assertThat(claims.get("platform_info")).contains(platformInfo);
    assertThat(claims.get("platform_smt_enabled")).contains((platformInfo & 1) != 0);
    assertThat(claims.get("platform_tsme_enabled")).contains((platformInfo & 2) != 0);
    assertThat(claims.get("platform_ecc_enabled")).contains((platformInfo & 4) != 0);
    assertThat(claims.get("platform_alias_check_complete")).contains((platformInfo & 0x20) != 0);
    assertThat(claims.get("platform_iommu_write_safe")).contains((platformInfo & 0x40) != 0);
    assertThat(claims.get("platform_tio_enabled")).contains(false);
    // Every positive vector's policy has SMT allowed and no migration agent; only go-sev-guest's
    // allows debug.
    assertThat(claims.get("policy_smt_allowed")).contains(true);
    assertThat(claims.get("policy_migrate_ma")).contains(false);
    assertThat(claims.get("policy_debug_allowed")).contains(vector.policy() == 0xb0000L);
    assertThat(claims.get("policy_single_socket")).contains(false);
    assertThat(claims.get("id_key_digest")).contains(facts[1] == null ? "00".repeat(48) : facts[1]);
    assertThat((String) claims.get("author_key_digest").orElseThrow()).hasSize(96);
  }

  /** The full report_data when the MANIFEST gives all 64 bytes, else none (prefix-only facts). */
  private static ExpectedBinding binding(Vector vector) {
    return vector.reportDataPrefix().length() == 128
        ? ExpectedBinding.exactly(Hex.decode(vector.reportDataPrefix()))
        : ExpectedBinding.none();
  }

  @Test
  void verify_vlekAfterItsValidity_isCertificateExpired() throws IOException {
    VerificationResult result =
        SCHEME.verify(
            input("trustee-snp-vlek/test-vlek-report.bin", "trustee-snp-vlek/test-vlek.der"),
            ExpectedBinding.none(),
            at("2026-01-01T00:00:00Z"));
    assertThat(SevSnpSchemeTest.types(result)).containsExactly("CERTIFICATE_EXPIRED");
  }

  @Test
  void verify_reportWithAnotherChipsVcek_failsSignatureTcbAndChipId() throws IOException {
    VerificationResult result =
        SCHEME.verify(
            input("go-sev-guest/attestation.bin", "virtee-sev/vcek_milan.der"),
            ExpectedBinding.none(),
            at("2025-01-01T00:00:00Z"));
    assertThat(SevSnpSchemeTest.types(result))
        .containsExactlyInAnyOrder("SIGNATURE_INVALID", "TCB_MISMATCH", "CHIP_ID_MISMATCH");
  }

  @Test
  void verify_flippedMeasurementBit_isSignatureInvalid() throws IOException {
    EvidenceInput input =
        input(
            "veraison-tsm/sevsnp-tsm-report.outblob.bin",
            "veraison-tsm/sevsnp-tsm-report.vcek.pem");
    byte[] tampered = input.evidence().clone();
    tampered[0x90] ^= 1;
    VerificationResult result =
        SCHEME.verify(
            EvidenceInput.of(tampered).withCertificates(input.certificates()),
            ExpectedBinding.none(),
            at("2026-01-01T00:00:00Z"));
    assertThat(SevSnpSchemeTest.types(result)).containsExactly("SIGNATURE_INVALID");
  }

  @Test
  void verify_afterTheVceksValidity_isCertificateExpired() throws IOException {
    VerificationResult result =
        SCHEME.verify(
            input("veraison-tsm/sevsnp-tsm-report.json", null),
            ExpectedBinding.none(),
            at("2033-01-01T00:00:00Z"));
    assertThat(SevSnpSchemeTest.types(result)).containsExactly("CERTIFICATE_EXPIRED");
  }

  @Test
  void verify_wrongReportData_isReportDataMismatch() throws IOException {
    VerificationResult result =
        SCHEME.verify(
            input("veraison-tsm/sevsnp-tsm-report.json", null),
            ExpectedBinding.exactly(new byte[] {0x4d, 0x49, 0x44, 0x43}),
            at("2026-01-01T00:00:00Z"));
    assertThat(SevSnpSchemeTest.types(result)).containsExactly("REPORT_DATA_MISMATCH");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "trustee-snp-negative/test-vcek-invalid-legacy.der",
        "trustee-snp-negative/test-vcek-invalid-new.der"
      })
  void negative_tamperedVcek_parsesButFailsTheChain(String file) throws Exception {
    var certificate = Certificates.parse(Files.readAllBytes(dir.resolve(file))).get(0);
    AmdKeyCertificate parsed = AmdKeyCertificate.parse(certificate);
    byte[] expectedHwId = new byte[64];
    for (int i = 0; i < 64; i++) {
      expectedHwId[i] = (byte) i;
    }
    assertThat(parsed.hwId()).hasValueSatisfying(hwId -> assertThat(hwId).isEqualTo(expectedHwId));
    assertThat(parsed.productName()).contains("Milan-B0");

    VerificationResult result =
        SCHEME.verify(
            input("go-sev-guest/attestation.bin", file),
            ExpectedBinding.none(),
            at("2025-01-01T00:00:00Z"));
    assertThat(SevSnpSchemeTest.types(result)).contains("CERTIFICATE_CHAIN_INVALID");
    assertThat(
            result.problems().stream()
                .filter(p -> p.type().slug().equals("certificate-chain-invalid"))
                .findFirst()
                .orElseThrow()
                .detail())
        .contains("does not verify");
  }

  @Test
  void turinVcekWithoutReport_hasFmcSplAndEightByteHwIdAndChainsToArkTurin() throws Exception {
    var certificate =
        Certificates.parse(Files.readAllBytes(dir.resolve("virtee-sev/vcek_turin.der"))).get(0);
    AmdKeyCertificate parsed = AmdKeyCertificate.parse(certificate);
    assertThat(parsed.hwId().orElseThrow()).hasSize(8);
    assertThat(parsed.tcb().orElseThrow().hasFmc()).isTrue();
    AmdTrust.Anchor anchor = SCHEME.trust().issuerOf(certificate).orElseThrow();
    assertThat(anchor.product()).isEqualTo(Product.TURIN);
    var chain =
        SCHEME
            .chains()
            .verify(
                List.of(certificate, anchor.intermediate()),
                List.of(anchor.root()),
                Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(chain).isInstanceOf(dev.arbiter.crypto.ChainVerifier.Result.Valid.class);
  }

  private static VerificationContext at(String time) {
    return VerificationContext.at(Instant.parse(time));
  }

  /**
   * Reads evidence as the CLI does (hex or base64 text decoded) and an optional certificate file.
   */
  static EvidenceInput input(String evidence, String cert) throws IOException {
    List<byte[]> certificates = new ArrayList<>();
    if (cert != null) {
      certificates.add(Files.readAllBytes(dir.resolve(cert)));
    }
    return EvidenceInput.of(Inputs.decodeEvidence(Files.readAllBytes(dir.resolve(evidence))))
        .withCertificates(certificates);
  }
}
