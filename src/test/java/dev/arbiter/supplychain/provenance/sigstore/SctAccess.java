// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.provenance.sigstore;

import java.security.cert.X509Certificate;

/**
 * Test access to the package-private precertificate TBS computation (fixtures sign SCTs over it).
 */
public final class SctAccess {
  private SctAccess() {}

  public static byte[] precertTbs(X509Certificate certificate) {
    return Sct.precertTbs(certificate);
  }
}
