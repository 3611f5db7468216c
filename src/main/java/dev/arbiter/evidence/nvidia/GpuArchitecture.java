// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * What one NVIDIA GPU generation's evidence looks like (documented in README.md, "Generations").
 * The verifier reads every generation-specific expectation from here instead of branching on the
 * generation: the chip names its device chain carries, where the attestation certificate keeps its
 * FWID and in which layout, the SPDM version, signature and digest sizes of the report, and how
 * NVIDIA names the generation's reference manifests.
 *
 * <p>Sources: NVIDIA's attestation SDK ({@code GpuArchitectureData}: SHA-384 and 96-byte signatures
 * on both, FWID OID {@code 2.23.133.5.4.1} on Hopper and {@code 2.23.133.5.4.1.1} on Blackwell; the
 * SPDM request/response are parsed as 1.1 for both), nvtrust (Hopper FWID = the last 48 bytes of
 * the extension) and captured chains ({@code GH100 A01 GSP FMC LF -> GH100 A01 GSP BROM -> NVIDIA
 * GH100 Provisioner ICA 1 -> NVIDIA GH100 Identity -> NVIDIA Device Identity CA}; {@code GB100 A01
 * GSP FMC LF -> GB100 A01 GSP BROM -> NVIDIA GB100 Provisioner ICA 00000 -> NVIDIA GB100 Identity
 * -> NVIDIA Device Identity CA}).
 *
 * @param name the architecture as evidence JSON names it ({@code arch})
 * @param chips the chip names of this generation (e.g. {@code GH100}, {@code GB100})
 * @param fwidOid the certificate extension holding the attestation key's FWID
 * @param fwidLayout how the FWID sits in that extension
 * @param spdmVersion the SPDM version of the GET_MEASUREMENTS exchange ({@code 0x11})
 * @param signatureSize the ECDSA P-384 r||s signature size
 * @param digestSize the measurement digest size (SHA-384)
 * @param driverRimPrefix the driver RIM id prefix; the id is prefix + chip + "_" + driver version
 */
record GpuArchitecture(
    String name,
    Pattern chips,
    String fwidOid,
    FwidLayout fwidLayout,
    int spdmVersion,
    int signatureSize,
    int digestSize,
    String driverRimPrefix) {

  /** The two FWID extension layouts. */
  enum FwidLayout {
    /** Hopper: the FWID is the last 48 bytes of the extension (a CompositeDeviceID's FWID). */
    TRAILING_DIGEST,
    /** Blackwell: a TCG DICE TcbInfo; the FWID is the digest of its first {@code fwids} entry. */
    DICE_TCB_INFO
  }

  static final String TCG_DICE_TCB_INFO = "2.23.133.5.4.1";
  static final String NVIDIA_TCB_INFO = "2.23.133.5.4.1.1";

  static final GpuArchitecture HOPPER =
      new GpuArchitecture(
          "HOPPER",
          Pattern.compile("GH1\\d\\d"),
          TCG_DICE_TCB_INFO,
          FwidLayout.TRAILING_DIGEST,
          0x11,
          96,
          48,
          "NV_GPU_DRIVER_");

  static final GpuArchitecture BLACKWELL =
      new GpuArchitecture(
          "BLACKWELL",
          Pattern.compile("GB[12]\\d\\d"),
          NVIDIA_TCB_INFO,
          FwidLayout.DICE_TCB_INFO,
          0x11,
          96,
          48,
          "NV_GPU_CC_DRIVER_");

  static final List<GpuArchitecture> ALL = List.of(HOPPER, BLACKWELL);

  /** The chip names a device chain's GSP certificates carry: {@code <chip> <stepping> GSP ...}. */
  private static final Pattern GSP_SUBJECT =
      Pattern.compile("(G[A-Z]\\d{3}) ([A-Z]\\d\\d) GSP (FMC LF|BROM)");

  private static final Pattern CHIP_IN_NAME = Pattern.compile("\\b(G[A-Z]\\d{3})\\b");

  static Optional<GpuArchitecture> byName(String arch) {
    String upper = arch.toUpperCase(Locale.ROOT);
    return ALL.stream().filter(a -> a.name.equals(upper)).findFirst();
  }

  static Optional<GpuArchitecture> byChip(String chip) {
    return ALL.stream().filter(a -> a.chips.matcher(chip).matches()).findFirst();
  }

  /** The chip named by the attestation (or BROM) certificate's CN, when it has NVIDIA's form. */
  static Optional<String> chipOf(List<X509Certificate> chain) {
    for (X509Certificate certificate : chain.subList(0, Math.min(2, chain.size()))) {
      Matcher m = GSP_SUBJECT.matcher(commonName(certificate));
      if (m.matches()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /** Every chip name that appears in a certificate's CN ({@code NVIDIA GB100 Identity}). */
  static Optional<String> chipNamedBy(X509Certificate certificate) {
    Matcher m = CHIP_IN_NAME.matcher(commonName(certificate));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** True when the CN is {@code <chip> <stepping> GSP <role>}. */
  static boolean isGsp(X509Certificate certificate, String chip, String role) {
    Matcher m = GSP_SUBJECT.matcher(commonName(certificate));
    return m.matches() && m.group(1).equals(chip) && m.group(3).equals(role);
  }

  static String commonName(X509Certificate certificate) {
    RDN[] names =
        X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
            .getRDNs(BCStyle.CN);
    return names.length == 0 ? "" : IETFUtils.valueToString(names[0].getFirst().getValue());
  }
}
