// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Runs work registered with {@link Tx#beforeCommit} at the end of the transaction, just before it
 * commits (in the transaction), and drops it on rollback. Used for the transparency-log leaves of
 * admin records: their head-row lock is then the last lock a transaction takes, so it cannot
 * deadlock with the other locks (workload rows, the audit advisory lock) and is held only while
 * committing.
 */
final class PreCommit extends DelegatingTransactionHandler {
  private static final Map<Handle, List<Runnable>> PENDING =
      Collections.synchronizedMap(new IdentityHashMap<>());

  PreCommit(TransactionHandler delegate) {
    super(delegate);
  }

  static void register(Handle handle, Runnable action) {
    PENDING.computeIfAbsent(handle, h -> new ArrayList<>()).add(action);
  }

  private static void runPending(Handle handle) {
    List<Runnable> actions;
    while ((actions = PENDING.remove(handle)) != null) {
      actions.forEach(Runnable::run);
    }
  }

  @Override
  public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback)
      throws X {
    return super.inTransaction(handle, wrap(callback));
  }

  @Override
  public <R, X extends Exception> R inTransaction(
      Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) throws X {
    return super.inTransaction(handle, level, wrap(callback));
  }

  private static <R, X extends Exception> HandleCallback<R, X> wrap(HandleCallback<R, X> callback) {
    return h -> {
      boolean outermost = !PENDING.containsKey(h);
      try {
        R result = callback.withHandle(h);
        runPending(h);
        return result;
      } catch (Exception | Error e) {
        if (outermost) {
          PENDING.remove(h);
        }
        throw e;
      }
    };
  }

  @Override
  public void commit(Handle handle) {
    runPending(handle);
    super.commit(handle);
  }

  @Override
  public void rollback(Handle handle) {
    PENDING.remove(handle);
    super.rollback(handle);
  }
}
