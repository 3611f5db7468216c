// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import java.util.ArrayList;
import java.util.List;

/** The claim names of the {@code nvidia-gpu} scheme for one GPU (documented in README.md). */
final class GpuClaims {
  private GpuClaims() {}

  static final List<String> NAMES = names();

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
