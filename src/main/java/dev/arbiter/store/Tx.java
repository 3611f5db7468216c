// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * One open database transaction, passed between the stores of several domains when one change spans
 * them (e.g. a rollout transition writes a policy revision, the rollout row and the audit record
 * atomically). Domain services pass it along opaquely; only store classes (named {@code *Store}, or
 * in this package) call {@link #handle()} — {@code ArchitectureTest} checks it.
 */
public final class Tx {
  private final Handle handle;

  Tx(Handle handle) {
    this.handle = Objects.requireNonNull(handle, "handle");
  }

  /** Wraps the handle of a transaction a store opened itself. */
  public static Tx of(Handle handle) {
    return new Tx(handle);
  }

  /** The Jdbi handle of this transaction; for store classes only. */
  public Handle handle() {
    return handle;
  }

  /**
   * Runs {@code action} in this transaction just before it commits (after the caller's work), or
   * never when it rolls back; actions run in registration order. On a handle whose Jdbi was not set
   * up by {@link Database} (or outside a transaction) it runs at once.
   */
  public void beforeCommit(Runnable action) {
    if (handle.isInTransaction() && handle.getJdbi().getTransactionHandler() instanceof PreCommit) {
      PreCommit.register(handle, action);
    } else {
      action.run();
    }
  }

  /** A unit of work run in a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Tx tx);
  }

  /** A unit of work run in a transaction, without a result. */
  @FunctionalInterface
  public interface Action {
    void run(Tx tx);
  }
}
