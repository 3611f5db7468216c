// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.crypto;

import java.io.IOException;

/**
 * A PKCS#11 token cannot be used: no provider, a bad configuration, a wrong PIN, or no usable key.
 * The message says which in one line and never contains the PIN.
 */
public final class TokenException extends IOException {
  private static final long serialVersionUID = 1L;

  TokenException(String message) {
    super(message);
  }

  TokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
