// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

/** An infrastructure failure of the store (connection, migration). Caught only at the edge. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
