// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.dcap;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A signed collateral body: the exact JSON bytes Intel signed (the {@code tcbInfo} / {@code
 * enclaveIdentity} value as it appears), the raw r || s signature, the decoded body and any signing
 * chain that came with it.
 *
 * @param body a {@link TcbInfo} or a {@link QeIdentity}
 * @param source the collateral file it came from (for messages)
 */
record SignedJson(
    byte[] signedBytes, byte[] signature, Object body, List<X509Certificate> chain, String source) {
  SignedJson {
    chain = List.copyOf(chain);
  }

  TcbInfo tcbInfo() {
    return (TcbInfo) body;
  }

  QeIdentity qeIdentity() {
    return (QeIdentity) body;
  }

  String kind() {
    return body instanceof TcbInfo ? "TCB Info" : "QE Identity";
  }
}
