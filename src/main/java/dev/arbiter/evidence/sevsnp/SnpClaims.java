// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import dev.arbiter.evidence.Claims;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The normalized claims of a report (contract names first, then the extra fields). Byte strings are
 * lowercase hex; integers are numbers; TCB versions are objects.
 */
final class SnpClaims {
  /** Every claim name the scheme may produce (dotted for nested claims). */
  static final List<String> NAMES = names();

  /**
   * The byte-string claims and their lengths: the report's fixed-size fields (AttestationReport).
   * {@code policy}, {@code platform_info} and the mitigation vectors are integers.
   */
  static final Map<String, Set<Integer>> BYTE_CLAIMS =
      Map.ofEntries(
          Map.entry("measurement", Set.of(48)),
          Map.entry("report_data", Set.of(64)),
          Map.entry("host_data", Set.of(32)),
          Map.entry("chip_id", Set.of(64)),
          Map.entry("id_key_digest", Set.of(48)),
          Map.entry("author_key_digest", Set.of(48)),
          Map.entry("report_id", Set.of(32)),
          Map.entry("report_id_ma", Set.of(32)),
          Map.entry("family_id", Set.of(16)),
          Map.entry("image_id", Set.of(16)));

  private static List<String> names() {
    List<String> names =
        new java.util.ArrayList<>(
            List.of(
                "version",
                "measurement",
                "report_data",
                "host_data",
                "chip_id",
                "id_key_digest",
                "author_key_digest",
                "report_id",
                "guest_svn",
                "policy",
                "vmpl",
                "reported_tcb.bootloader",
                "reported_tcb.tee",
                "reported_tcb.snp",
                "reported_tcb.microcode",
                "reported_tcb.fmc",
                "signing_key",
                "product",
                "debug_allowed",
                "revocation",
                "smt_allowed",
                "migration_agent_allowed",
                "single_socket",
                "policy_abi_major",
                "policy_abi_minor",
                "family_id",
                "image_id",
                "report_id_ma",
                "author_key_en",
                "platform_info",
                "current_tcb.bootloader",
                "current_tcb.tee",
                "current_tcb.snp",
                "current_tcb.microcode",
                "current_tcb.fmc",
                "committed_tcb.bootloader",
                "committed_tcb.tee",
                "committed_tcb.snp",
                "committed_tcb.microcode",
                "committed_tcb.fmc",
                "launch_tcb.bootloader",
                "launch_tcb.tee",
                "launch_tcb.snp",
                "launch_tcb.microcode",
                "launch_tcb.fmc",
                "current_firmware",
                "committed_firmware",
                "cpuid.family",
                "cpuid.model",
                "cpuid.stepping",
                "launch_mit_vector",
                "current_mit_vector",
                "chip_id_masked",
                "csp_id",
                "product_name"));
    names.addAll(GuestPolicy.BIT_CLAIMS);
    names.addAll(PlatformInfo.BIT_CLAIMS);
    return List.copyOf(names);
  }

  private SnpClaims() {}

  /**
   * @param product the product from the verified chain, or from CPUID when no chain was verified;
   *     empty when unknown (then TCBs are decoded with the Milan/Genoa layout)
   * @param keyCertificate the VCEK/VLEK used, if any
   * @param revocation "checked" or "unchecked"; empty when no chain was verified
   */
  static Claims of(
      AttestationReport report,
      Optional<Product> product,
      Optional<AmdKeyCertificate> keyCertificate,
      Optional<String> revocation) {
    boolean turin = product.map(Product::turinTcbLayout).orElse(false);
    GuestPolicy policy = report.policy();
    Claims.Builder claims =
        Claims.builder()
            .put("version", (long) report.version())
            .put("measurement", report.measurement())
            .put("report_data", report.reportData())
            .put("host_data", report.hostData())
            .put("chip_id", report.chipId())
            .put("id_key_digest", report.idKeyDigest())
            .put("author_key_digest", report.authorKeyDigest())
            .put("report_id", report.reportId())
            .put("guest_svn", Integer.toUnsignedLong(report.guestSvn()))
            .put("policy", policy.raw())
            .put("vmpl", report.vmpl())
            .put("reported_tcb", report.reportedTcb(turin).toClaims())
            .put("signing_key", report.signingKey().claim());
    product.ifPresent(p -> claims.put("product", p.claim()));
    claims.put("debug_allowed", policy.debugAllowed());
    revocation.ifPresent(value -> claims.put("revocation", value));
    claims
        .put("smt_allowed", policy.smtAllowed())
        .put("migration_agent_allowed", policy.migrationAgentAllowed())
        .put("single_socket", policy.singleSocket())
        .put("policy_abi_major", (long) policy.abiMajor())
        .put("policy_abi_minor", (long) policy.abiMinor())
        .put("family_id", report.familyId())
        .put("image_id", report.imageId())
        .put("report_id_ma", report.reportIdMa())
        .put("author_key_en", report.authorKeyEnabled())
        .put("platform_info", report.platformInfo())
        .put("current_tcb", report.currentTcb(turin).toClaims())
        .put("committed_tcb", report.committedTcb(turin).toClaims())
        .put("launch_tcb", report.launchTcb(turin).toClaims())
        .put("current_firmware", report.currentFirmware())
        .put("committed_firmware", report.committedFirmware());
    if (report.version() >= 3) {
      Map<String, Object> cpuid = new LinkedHashMap<>();
      cpuid.put("family", (long) report.cpuidFamily());
      cpuid.put("model", (long) report.cpuidModel());
      cpuid.put("stepping", (long) report.cpuidStepping());
      claims.put("cpuid", cpuid);
    }
    report
        .mitigationVectors()
        .ifPresent(vectors ->
            claims.put("launch_mit_vector", vectors[0]).put("current_mit_vector", vectors[1]));
    claims.put("chip_id_masked", isZero(report.chipId()));
    keyCertificate
        .flatMap(AmdKeyCertificate::cspId)
        .ifPresent(value -> claims.put("csp_id", value));
    keyCertificate
        .flatMap(AmdKeyCertificate::productName)
        .ifPresent(value -> claims.put("product_name", value));
    policy.bitClaims().forEach(claims::put);
    new PlatformInfo(report.platformInfo()).bitClaims().forEach(claims::put);
    return claims.build();
  }

  static boolean isZero(byte[] bytes) {
    int acc = 0;
    for (byte b : bytes) {
      acc |= b;
    }
    return acc == 0;
  }
}
