// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

/** The attested report inside a quote: an SGX enclave report or a TD report. */
public sealed interface QuoteBody permits EnclaveReport, TdReport {
  /** The 64-byte report data the attester chose (nonce / key binding). */
  byte[] reportData();
}
