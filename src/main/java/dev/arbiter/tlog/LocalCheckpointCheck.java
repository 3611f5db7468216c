// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

/**
 * The outcome of comparing the database's log with the last checkpoint this server signed, kept
 * outside the database ({@link TransparencyLog#verifyAgainstLocalCheckpoint}). The server must
 * refuse to start unless {@link #mayStart()}.
 */
public sealed interface LocalCheckpointCheck {
  /** True when the database's log extends the local checkpoint (or there is none yet). */
  boolean mayStart();

  /**
   * No local checkpoint file (first start, or a new replica of a shared database). {@code treeSize}
   * is the database's tree size; a server that expects its file may refuse when it is not 0.
   */
  record NoLocalCheckpoint(long treeSize) implements LocalCheckpointCheck {
    @Override
    public boolean mayStart() {
      return true;
    }
  }

  /** The database's tree ({@code treeSize}) extends the local checkpoint ({@code localSize}). */
  record Consistent(long localSize, long treeSize) implements LocalCheckpointCheck {
    @Override
    public boolean mayStart() {
      return true;
    }
  }

  /**
   * The database has fewer leaves than the local checkpoint: records were lost or a backup
   * restored.
   */
  record Behind(long localSize, long treeSize) implements LocalCheckpointCheck {
    @Override
    public boolean mayStart() {
      return false;
    }
  }

  /**
   * The database's tree at {@code localSize} is not the tree the local checkpoint signed: history
   * was rewritten. Roots are base64 ({@code databaseRoot} empty when it cannot be computed).
   */
  record Forked(long localSize, String localRoot, String databaseRoot, String detail)
      implements LocalCheckpointCheck {
    @Override
    public boolean mayStart() {
      return false;
    }
  }

  /** The local checkpoint file cannot be read or does not verify with this server's key. */
  record Unverifiable(String detail) implements LocalCheckpointCheck {
    @Override
    public boolean mayStart() {
      return false;
    }
  }
}
