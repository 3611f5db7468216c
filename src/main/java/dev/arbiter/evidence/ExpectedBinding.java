// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import java.util.Arrays;

/**
 * The value the evidence must carry to prove freshness and key binding: report data for SNP, TDX
 * and SGX, the nonce for Nitro and GPUs, extra data for TPM, the challenge for CCA/PSA. Schemes
 * compare it in constant time. When the value is shorter than the evidence field, the field's
 * remaining bytes must be zero.
 */
public sealed interface ExpectedBinding {
  /** No binding is checked: offline inspection only. Appraisal never uses this. */
  static ExpectedBinding none() {
    return None.INSTANCE;
  }

  static ExpectedBinding exactly(byte[] value) {
    return new Value(value);
  }

  /** The explicit absence of a binding check. */
  enum None implements ExpectedBinding {
    INSTANCE
  }

  /** The exact value to find in the evidence. */
  record Value(byte[] bytes) implements ExpectedBinding {
    public Value {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /**
     * True when {@code field} equals the expected value, zero-padded to the field's length. Runs in
     * time independent of where the first difference is.
     */
    public boolean matches(byte[] field) {
      if (bytes.length > field.length) {
        return false;
      }
      byte[] padded = Arrays.copyOf(bytes, field.length);
      return dev.arbiter.crypto.Digests.constantTimeEquals(padded, field);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Value value && Arrays.equals(bytes, value.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "ExpectedBinding[" + dev.arbiter.internal.Hex.encode(bytes) + "]";
    }
  }
}
