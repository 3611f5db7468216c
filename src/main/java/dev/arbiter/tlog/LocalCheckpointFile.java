// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The latest signed checkpoint, kept in a file outside the database (owner-only, replaced
 * atomically).
 */
final class LocalCheckpointFile {
  /** Far above any checkpoint note; a larger file is not ours. */
  private static final long MAX_SIZE = 64 * 1024;

  private LocalCheckpointFile() {}

  /** The note in {@code file}, or empty when the file does not exist. */
  static Optional<String> read(Path file) throws IOException {
    try {
      if (Files.size(file) > MAX_SIZE) {
        throw new IOException("checkpoint file " + file + " is too large");
      }
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Replaces {@code file} with {@code note}: temporary file (mode 600), fsync, atomic move. */
  static void write(Path file, String note) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp;
    try {
      temp =
          Files.createTempFile(
              parent,
              ".checkpoint-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      temp = Files.createTempFile(parent, ".checkpoint-", ".tmp");
    }
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(note.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
