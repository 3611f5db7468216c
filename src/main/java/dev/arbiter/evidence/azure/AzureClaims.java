// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.azure;

import dev.arbiter.evidence.Claims;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Claim names and assembly (README.md lists them): the hardware scheme's claims at top level
 * (unchanged names), the verified PCRs as {@code pcrN} / {@code <bank>:pcrN}, {@code extra_data},
 * the runtime data ({@code vm_configuration.*}, {@code user_data}, {@code ak_pub}, {@code ek_pub}),
 * and the HCL and vTPM quote details under {@code hcl.*} and {@code tpm.*}.
 */
final class AzureClaims {
  /** Flat PCR claim names of the TPM scheme ({@code pcr7}, {@code sha1:pcr7}). */
  static final Pattern FLAT_PCR = Pattern.compile("([a-z0-9]+:)?pcr\\d+");

  static final List<String> TPM_DETAILS =
      List.of(
          "qualified_signer",
          "clock",
          "reset_count",
          "restart_count",
          "safe",
          "firmware_version",
          "pcr_digest",
          "pcr_selection",
          "signature");
  private static final List<String> OWN =
      List.of(
          "extra_data",
          "evidence_form",
          "user_data_padding",
          "hcl.padding_bytes",
          "vm_configuration.secure_boot",
          "vm_configuration.tpm_enabled",
          "vm_configuration.console_enabled",
          "vm_configuration.vm_unique_id",
          "user_data",
          "ak_pub",
          "ek_pub",
          "hcl.version",
          "hcl.request_type",
          "hcl.status",
          "hcl.report_type",
          "hcl.hash_type",
          "hcl.runtime_data_hash",
          "tpm.qualified_signer",
          "tpm.clock",
          "tpm.reset_count",
          "tpm.restart_count",
          "tpm.safe",
          "tpm.firmware_version",
          "tpm.pcr_digest",
          "tpm.pcr_selection",
          "tpm.pcr_selection.sha1",
          "tpm.pcr_selection.sha256",
          "tpm.pcr_selection.sha384",
          "tpm.pcr_selection.sha512",
          "tpm.signature.scheme",
          "tpm.signature.hash");

  /**
   * Byte claims of the Azure schemes' own names: the SHA-256 JWK thumbprints, the runtime-data hash
   * (SHA-256, SHA-384 or SHA-512 per {@code hcl.hash_type}) and the vTPM quote's fixed-size fields.
   * {@code user_data}, {@code extra_data} and {@code tpm.qualified_signer} have no fixed length.
   */
  private static final Map<String, Set<Integer>> OWN_BYTES =
      Map.of(
          "ak_pub", Set.of(32),
          "ek_pub", Set.of(32),
          "hcl.runtime_data_hash", Set.of(32, 48, 64),
          "tpm.firmware_version", Set.of(8),
          "tpm.pcr_digest", Set.of(20, 32, 48, 64));

  private AzureClaims() {}

  static List<String> names(List<String> hardware, List<String> tpm) {
    Set<String> names = new LinkedHashSet<>(hardware);
    tpm.stream().filter(name -> FLAT_PCR.matcher(name).matches()).forEach(names::add);
    names.addAll(OWN);
    return List.copyOf(names);
  }

  /**
   * The byte claims of {@link #names}, composed the same way: the hardware scheme's, the TPM
   * scheme's flat PCRs, and the Azure schemes' own.
   */
  static Map<String, Set<Integer>> byteClaims(
      Map<String, Set<Integer>> hardware, Map<String, Set<Integer>> tpm) {
    Map<String, Set<Integer>> out = new LinkedHashMap<>(hardware);
    tpm.forEach((name, lengths) -> {
      if (FLAT_PCR.matcher(name).matches()) {
        out.put(name, lengths);
      }
    });
    out.putAll(OWN_BYTES);
    return out;
  }

  static void hcl(HclReport hcl, byte[] runtimeHash, Map<String, Object> claims) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", (long) hcl.version());
    out.put("request_type", Integer.toUnsignedLong(hcl.requestType()));
    out.put("status", Integer.toUnsignedLong(hcl.status()));
    out.put("report_type", hcl.reportType().claim);
    out.put("hash_type", hcl.hashType().claim);
    out.put("runtime_data_hash", runtimeHash);
    if (hcl.paddingBytes() > 0) {
      out.put("padding_bytes", (long) hcl.paddingBytes());
    }
    claims.put("hcl", out);
  }

  static void runtime(RuntimeData runtime, Map<String, Object> claims) {
    if (!runtime.vmConfiguration().isEmpty()) {
      claims.put("vm_configuration", runtime.vmConfiguration());
    }
    runtime.userData().ifPresent(value -> claims.put("user_data", value));
    claims.put("ak_pub", runtime.akThumbprint());
    runtime.ekThumbprint().ifPresent(value -> claims.put("ek_pub", value));
  }

  /** Flat PCRs and extra data at top level, the quote's details under {@code tpm}. */
  static void tpm(Claims quote, Map<String, Object> claims) {
    Map<String, Object> values = quote.values();
    values.forEach((name, value) -> {
      if ((name.startsWith("pcr") || name.contains(":pcr")) && FLAT_PCR.matcher(name).matches()) {
        claims.put(name, value);
      }
    });
    if (values.containsKey("extra_data")) {
      claims.put("extra_data", values.get("extra_data"));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    for (String name : TPM_DETAILS) {
      if (values.containsKey(name)) {
        details.put(name, values.get(name));
      }
    }
    if (!details.isEmpty()) {
      claims.put("tpm", details);
    }
  }
}
