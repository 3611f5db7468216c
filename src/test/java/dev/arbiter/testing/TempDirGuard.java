// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the run when tests leave {@code arbiter-*} entries (server data directories with their
 * PostgreSQL clusters) in {@code java.io.tmpdir}. Registered for every test class through Jupiter's
 * extension auto-detection ({@code junit-platform.properties}); the check runs once, when the
 * engine finishes, after the shared {@link TestServer} is closed.
 */
public final class TempDirGuard implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TempDirGuard.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(NAMESPACE).computeIfAbsent(Check.class);
  }

  /** Closed by JUnit with the engine's root context. */
  static final class Check implements AutoCloseable {
    @Override
    public void close() {
      TestServer.closeShared();
      TestDatabase.stop();
      List<Path> left = leftovers();
      if (!left.isEmpty()) {
        throw new AssertionError(
            "tests left "
                + left.size()
                + " temporary director"
                + (left.size() == 1 ? "y" : "ies")
                + " behind (close TestServer, use @TempDir): "
                + left);
      }
    }
  }

  /** {@code arbiter-*} entries of the temp directory created since this JVM started. */
  static List<Path> leftovers() {
    FileTime started = FileTime.fromMillis(ManagementFactory.getRuntimeMXBean().getStartTime());
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("arbiter-"))
          .filter(p -> created(p).compareTo(started) >= 0)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileTime created(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).creationTime();
    } catch (IOException e) {
      return FileTime.fromMillis(0); // gone meanwhile
    }
  }
}
