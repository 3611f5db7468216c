// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.tdx;

import dev.arbiter.evidence.Claims;
import dev.arbiter.evidence.EvidenceInput;
import dev.arbiter.evidence.SchemeDescriptor;
import dev.arbiter.evidence.VerificationResult;
import dev.arbiter.evidence.dcap.DcapScheme;
import dev.arbiter.evidence.dcap.DcapTrust;
import dev.arbiter.evidence.dcap.DcapVerification;
import dev.arbiter.evidence.dcap.Quote;
import dev.arbiter.evidence.dcap.TdReport;
import dev.arbiter.evidence.eventlog.EventLogs;
import dev.arbiter.evidence.eventlog.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Intel TDX quotes (v4 and v5; TD 1.0 and TD 1.5 bodies), verified by DCAP to the Intel SGX Root
 * CA: quote and QE report signatures, attestation-key binding, PCK chain and CRLs, TCB Info / QE
 * Identity collateral and Intel's TCB status. See README.md in this package.
 *
 * <p>Security guarantee: a valid result means the TD report was signed by an attestation key that
 * an Intel-certified TDX Quoting Enclave on a platform with a PCK certificate chaining to the
 * pinned root vouched for at the verification time. TCB status is a claim for appraisal; only
 * {@code Revoked} is a rejection.
 */
public final class TdxScheme extends DcapScheme {
  public static final String ID = "tdx";
  private static final List<String> QUOTE_CLAIMS =
      List.of(
          "version",
          "mr_td",
          "mr_seam",
          "mr_config_id",
          "mr_owner",
          "mr_owner_config",
          "rtmr0",
          "rtmr1",
          "rtmr2",
          "rtmr3",
          "report_data",
          "tee_tcb_svn",
          "fmspc",
          "tcb_status",
          "advisory_ids",
          "revocation",
          "td_attributes",
          "debug",
          "xfam",
          "seam_attributes",
          "mr_signer_seam",
          "tee_tcb_svn2",
          "mr_service_td",
          "pck_issuer");
  static final List<String> CLAIMS = claimNames();

  /**
   * The byte-string claims and their lengths: the TD quote body's fields (TdReport), the PCK
   * certificate's FMSPC and the CC event log's digests.
   */
  static final Map<String, Set<Integer>> BYTE_CLAIMS = byteClaims();

  private static Map<String, Set<Integer>> byteClaims() {
    Map<String, Set<Integer>> out = new LinkedHashMap<>();
    for (String name :
        List.of(
            "mr_td",
            "mr_seam",
            "mr_config_id",
            "mr_owner",
            "mr_owner_config",
            "rtmr0",
            "rtmr1",
            "rtmr2",
            "rtmr3",
            "mr_signer_seam",
            "mr_service_td")) {
      out.put(name, Set.of(48));
    }
    out.put("report_data", Set.of(64));
    out.put("tee_tcb_svn", Set.of(16));
    out.put("tee_tcb_svn2", Set.of(16));
    out.put("td_attributes", Set.of(8));
    out.put("xfam", Set.of(8));
    out.put("seam_attributes", Set.of(8));
    out.put("fmspc", Set.of(6));
    out.putAll(EventLogs.byteClaims());
    return java.util.Collections.unmodifiableMap(out);
  }

  private static List<String> claimNames() {
    List<String> names = new java.util.ArrayList<>(QUOTE_CLAIMS);
    names.addAll(EventLogs.claimNames());
    return List.copyOf(names);
  }

  private static final SchemeDescriptor DESCRIPTOR =
      new SchemeDescriptor(
          ID,
          "1.0",
          List.of("application/vnd.intel.tdx.quote"),
          CLAIMS,
          BYTE_CLAIMS,
          "Intel TDX DCAP quote v4/v5 (TD 1.0, TD 1.5)",
          new SchemeDescriptor.BindingRule.ReportData(64),
          java.util.Optional.of(new SchemeDescriptor.ConfigurationClaim("mr_config_id", 48)),
          SchemeDescriptor.Kind.CPU,
          false);

  public TdxScheme(DcapTrust trust) {
    super(trust, DESCRIPTOR, Quote.TEE_TDX);
  }

  /** Production: the pinned Intel SGX Root CA. */
  public static TdxScheme withPinnedRoots() {
    return new TdxScheme(DcapTrust.pinnedIntelRoot());
  }

  @Override
  protected Claims claimsOf(DcapVerification verification) {
    return claims(verification);
  }

  /**
   * With a CC event log (the CCEL data, {@code --event-log}) and a valid quote: replays the log's
   * SHA-384 events into RTMR0..3 (CC measurement register index 1..4) and compares them with the TD
   * report's; a mismatch is {@code event-log-mismatch} naming the RTMR, a match adds the boot
   * claims. A quote that failed is returned unchanged.
   */
  @Override
  protected VerificationResult complete(
      VerificationResult result, EvidenceInput input, DcapVerification verification) {
    if (input.eventLog().isEmpty() || !result.valid() || verification.quote().isEmpty()) {
      return result;
    }
    TdReport td = (TdReport) verification.quote().get().body();
    Map<Integer, byte[]> rtmrs = new TreeMap<>();
    rtmrs.put(1, td.rtmr0());
    rtmrs.put(2, td.rtmr1());
    rtmrs.put(3, td.rtmr2());
    rtmrs.put(4, td.rtmr3());
    EventLogs.Outcome outcome =
        EventLogs.verify(
            input.eventLog().get(), Profile.CCEL, Map.of("sha384", rtmrs), "the TD report");
    Map<String, Object> claims = new LinkedHashMap<>(result.claims().values());
    claims.putAll(outcome.claims());
    return new VerificationResult(ID, new Claims(claims), outcome.problems());
  }

  static Claims claims(DcapVerification verification) {
    Claims.Builder claims = Claims.builder();
    if (verification.quote().isEmpty()) {
      return claims.build();
    }
    Quote quote = verification.quote().get();
    TdReport td = (TdReport) quote.body();
    claims
        .put("version", quote.version())
        .put("mr_td", td.mrTd())
        .put("mr_seam", td.mrSeam())
        .put("mr_config_id", td.mrConfigId())
        .put("mr_owner", td.mrOwner())
        .put("mr_owner_config", td.mrOwnerConfig())
        .put("rtmr0", td.rtmr0())
        .put("rtmr1", td.rtmr1())
        .put("rtmr2", td.rtmr2())
        .put("rtmr3", td.rtmr3())
        .put("report_data", td.reportData())
        .put("tee_tcb_svn", td.teeTcbSvn());
    verification.pck().ifPresent(pck -> claims.put("fmspc", pck.fmspc()));
    claims
        .put("tcb_status", verification.tcbStatus())
        .put("advisory_ids", verification.advisoryIds())
        .put("revocation", verification.revocation())
        .put("td_attributes", td.tdAttributes())
        .put("debug", td.debug())
        .put("xfam", td.xfam())
        .put("seam_attributes", td.seamAttributes())
        .put("mr_signer_seam", td.mrSignerSeam());
    td.teeTcbSvn2().ifPresent(value -> claims.put("tee_tcb_svn2", value));
    td.mrServiceTd().ifPresent(value -> claims.put("mr_service_td", value));
    verification.pckIssuer().ifPresent(value -> claims.put("pck_issuer", value));
    return claims.build();
  }
}
