// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The claim names of the {@code nvidia-gpu} scheme for one GPU (documented in README.md). */
final class GpuClaims {
  private GpuClaims() {}

  static final List<String> NAMES = names();

  /**
   * The byte-string claims and their lengths: the SPDM requester and responder nonces (32 bytes)
   * and the attestation certificate's FWID (the generation's digest size). Left out: the
   * measurement blocks ({@code measurements.N}) and NVIDIA's opaque-data fields (such as {@code
   * fwid}), which the report may give in any length.
   */
  static final Map<String, Set<Integer>> BYTE_CLAIMS = byteClaims();

  private static Map<String, Set<Integer>> byteClaims() {
    Set<Integer> fwid = new java.util.TreeSet<>();
    GpuArchitecture.ALL.forEach(architecture -> fwid.add(architecture.digestSize()));
    Map<String, Set<Integer>> out = new LinkedHashMap<>();
    out.put("nonce", Set.of(SpdmReport.NONCE_SIZE));
    out.put("responder_nonce", Set.of(SpdmReport.NONCE_SIZE));
    out.put("device_certificate.fwid", fwid);
    return java.util.Collections.unmodifiableMap(out);
  }

  private static List<String> names() {
    List<String> names =
        new ArrayList<>(
            List.of(
                "uuid",
                "architecture",
                "chip",
                "hwmodel",
                "nonce",
                "responder_nonce",
                "spdm_version",
                "slot",
                "driver_version",
                "vbios_version",
                "gpu_info",
                "board_id",
                "chip_sku",
                "chip_sku_mod",
                "project",
                "project_sku",
                "project_sku_mod",
                "cpr_info",
                "fwid",
                "nvdec0_status",
                "protected_pcie_status",
                "device_certificate.subject",
                "device_certificate.issuer",
                "device_certificate.serial",
                "device_certificate.chain_length",
                "device_certificate.fwid",
                "device_certificate.tcb_info.vendor",
                "device_certificate.tcb_info.model",
                "device_certificate.tcb_info.version",
                "device_certificate.tcb_info.svn",
                "device_certificate.tcb_info.layer",
                "device_certificate.tcb_info.index",
                "rim_ids.driver",
                "rim_ids.vbios",
                "revocation",
                "gpu_count",
                "gpus",
                "trailing_bytes"));
    OpaqueData.NAMES.values().stream()
        .sorted()
        .filter(name -> !names.contains(name))
        .forEach(names::add);
    for (int i = 1; i <= 64; i++) {
      names.add("measurements." + i);
      names.add("measurement_count." + i);
    }
    for (String kind : List.of("vbios", "driver")) {
      for (String field :
          List.of(
              "kind",
              "rim_id",
              "version",
              "signature",
              "status",
              "matched_indices",
              "mismatched_indices")) {
        names.add("rim_match." + kind + "." + field);
      }
    }
    return List.copyOf(names);
  }
}
