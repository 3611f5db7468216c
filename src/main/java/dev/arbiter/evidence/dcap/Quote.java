// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

/**
 * A decoded (not yet verified) DCAP quote: SGX v3, or TDX v4/v5.
 *
 * @param version quote version (3, 4 or 5)
 * @param attestationKeyType 2 = ECDSA P-256 (the only type supported)
 * @param teeType 0x00 SGX, 0x81 TDX
 * @param qeSvn QE SVN from the header (v3 only; 0 otherwise)
 * @param pceSvn PCE SVN from the header (v3 only; 0 otherwise)
 * @param qeVendorId 16 bytes, Intel = 939a7233f79c4ca9940a0db3957f0607
 * @param body the attested report
 * @param signedBytes header || body (for v5 including body type and size): what the attestation key
 *     signs
 * @param signature quote signature, r || s (64 bytes)
 * @param attestationKey attestation public key, x || y (64 bytes)
 * @param qeReport the Quoting Enclave's report, signed by the PCK key
 * @param qeReportBytes its 384 raw bytes (what the PCK key signs)
 * @param qeReportSignature r || s (64 bytes)
 * @param qeAuthData QE authentication data (hashed into the QE report data)
 * @param certificationDataType type of the innermost certification data (5 = PCK chain PEM)
 * @param certificationData its bytes
 * @param trailingBytes bytes after the signature data (ignored; zero padding in practice)
 */
public record Quote(
    int version,
    int attestationKeyType,
    long teeType,
    int qeSvn,
    int pceSvn,
    byte[] qeVendorId,
    QuoteBody body,
    byte[] signedBytes,
    byte[] signature,
    byte[] attestationKey,
    EnclaveReport qeReport,
    byte[] qeReportBytes,
    byte[] qeReportSignature,
    byte[] qeAuthData,
    int certificationDataType,
    byte[] certificationData,
    int trailingBytes) {
  public static final long TEE_SGX = 0x00;
  public static final long TEE_TDX = 0x81;
  public static final int CERT_PCK_CHAIN = 5;
  public static final int CERT_QE_REPORT = 6;

  public boolean tdx() {
    return teeType == TEE_TDX;
  }
}
