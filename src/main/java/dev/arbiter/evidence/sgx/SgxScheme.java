// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sgx;

import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.dcap.DcapScheme;
import dev.arbiter.evidence.dcap.DcapTrust;
import dev.arbiter.evidence.dcap.DcapVerification;
import dev.arbiter.evidence.dcap.EnclaveReport;
import dev.arbiter.evidence.dcap.Quote;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Intel SGX DCAP quotes (v3, ECDSA P-256), verified to the Intel SGX Root CA: quote and QE report
 * signatures, attestation-key binding, PCK chain and CRLs, TCB Info / QE Identity collateral and
 * Intel's TCB status. See README.md in this package.
 *
 * <p>Security guarantee: a valid result means the enclave report was signed by an attestation key
 * that an Intel-certified Quoting Enclave on a platform with a PCK certificate chaining to the
 * pinned root vouched for at the verification time. Debug enclaves and TCB status are claims for
 * appraisal; only {@code Revoked} is a rejection.
 */
public final class SgxScheme extends DcapScheme {
  public static final String ID = "sgx";
  static final List<String> CLAIMS =
      List.of(
          "version",
          "mr_enclave",
          "mr_signer",
          "isv_prod_id",
          "isv_svn",
          "report_data",
          "debug",
          "fmspc",
          "tcb_status",
          "advisory_ids",
          "revocation",
          "attributes",
          "misc_select",
          "cpu_svn",
          "config_id",
          "config_svn",
          "isv_ext_prod_id",
          "isv_family_id",
          "pck_issuer");

  /**
   * The byte-string claims and their lengths: the enclave report's fixed-size fields
   * (EnclaveReport) and the PCK certificate's FMSPC. {@code misc_select} is an integer.
   */
  static final Map<String, Set<Integer>> BYTE_CLAIMS =
      Map.ofEntries(
          Map.entry("mr_enclave", Set.of(32)),
          Map.entry("mr_signer", Set.of(32)),
          Map.entry("report_data", Set.of(64)),
          Map.entry("fmspc", Set.of(6)),
          Map.entry("attributes", Set.of(16)),
          Map.entry("cpu_svn", Set.of(16)),
          Map.entry("config_id", Set.of(64)),
          Map.entry("isv_ext_prod_id", Set.of(16)),
          Map.entry("isv_family_id", Set.of(16)));

  private static final SchemeDescriptor DESCRIPTOR =
      new SchemeDescriptor(
          ID,
          "1.0",
          List.of("application/vnd.intel.sgx.quote"),
          CLAIMS,
          BYTE_CLAIMS,
          "Intel SGX DCAP ECDSA quote v3",
          new SchemeDescriptor.BindingRule.ReportData(64),
          java.util.Optional.empty(),
          SchemeDescriptor.Kind.CPU,
          false);

  public SgxScheme(DcapTrust trust) {
    super(trust, DESCRIPTOR, Quote.TEE_SGX);
  }

  /** Production: the pinned Intel SGX Root CA. */
  public static SgxScheme withPinnedRoots() {
    return new SgxScheme(DcapTrust.pinnedIntelRoot());
  }

  @Override
  protected Claims claimsOf(DcapVerification verification) {
    return claims(verification);
  }

  static Claims claims(DcapVerification verification) {
    Claims.Builder claims = Claims.builder();
    if (verification.quote().isEmpty()) {
      return claims.build();
    }
    Quote quote = verification.quote().get();
    EnclaveReport enclave = (EnclaveReport) quote.body();
    claims
        .put("version", quote.version())
        .put("mr_enclave", enclave.mrEnclave())
        .put("mr_signer", enclave.mrSigner())
        .put("isv_prod_id", enclave.isvProdId())
        .put("isv_svn", enclave.isvSvn())
        .put("report_data", enclave.reportData())
        .put("debug", enclave.debug());
    verification.pck().ifPresent(pck -> claims.put("fmspc", pck.fmspc()));
    claims
        .put("tcb_status", verification.tcbStatus())
        .put("advisory_ids", verification.advisoryIds())
        .put("revocation", verification.revocation())
        .put("attributes", enclave.attributes())
        .put("misc_select", enclave.miscSelect())
        .put("cpu_svn", enclave.cpuSvn())
        .put("config_id", enclave.configId())
        .put("config_svn", enclave.configSvn())
        .put("isv_ext_prod_id", enclave.isvExtProdId())
        .put("isv_family_id", enclave.isvFamilyId());
    verification.pckIssuer().ifPresent(value -> claims.put("pck_issuer", value));
    return claims.build();
  }
}
