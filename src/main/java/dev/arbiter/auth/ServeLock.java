// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock one {@code arbiter serve} holds on its data directory ({@code serve.lock}, an OS file
 * lock released when the process dies, holding the owner's pid): a second server on the same
 * directory is refused before it touches anything. Close to release.
 */
public final class ServeLock implements AutoCloseable {
  /** The data directory is held by another running server. */
  public static final class HeldException extends IOException {
    private static final long serialVersionUID = 1L;

    HeldException(String message) {
      super(message);
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private ServeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or fails with {@link HeldException} naming the holder's pid. */
  public static ServeLock acquire(DataDir dir) throws IOException {
    Files.createDirectories(dir.root());
    Path file = dir.root().resolve("serve.lock");
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held in this very process
    }
    if (lock == null) {
      String holder = Files.readString(file, StandardCharsets.US_ASCII).strip();
      channel.close();
      throw new HeldException(
          "the data directory "
              + dir.root()
              + " is in use by another 'arbiter serve'"
              + (holder.isEmpty() ? "" : " (pid " + holder + ")")
              + "; stop it or choose another --data-dir");
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
        0);
    channel.force(false);
    return new ServeLock(channel, lock);
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the OS releases the lock with the process anyway
    }
  }
}
