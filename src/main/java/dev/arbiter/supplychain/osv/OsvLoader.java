// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.supplychain.osv;

import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Loads OSV records for offline use from a JSON file (one record or an array), a directory (every
 * {@code *.json} below it, sorted by path; other files are ignored) or a zip export such as OSV's
 * {@code <ecosystem>/all.zip} (every {@code *.json} entry). Sizes are bounded while reading (not
 * trusted from zip headers): {@link #MAX_RECORD_BYTES} per record file, {@link #MAX_TOTAL_BYTES}
 * and {@link #MAX_FILES} per load.
 *
 * <p>A malformed record refuses the whole load ({@link AdvisoryProblem#ADVISORY_MALFORMED}), so an
 * import stores all or nothing. Withdrawn records are returned (flagged) so that an index can drop
 * an earlier copy.
 */
public final class OsvLoader {
  public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
  public static final long MAX_TOTAL_BYTES = 4L * 1024 * 1024 * 1024;
  public static final int MAX_FILES = 2_000_000;

  /** The result of one load. */
  public record Load(List<Advisory> advisories, List<Problem> notes, int files) {
    public Load {
      advisories = List.copyOf(advisories);
      notes = List.copyOf(notes);
    }

    public long withdrawn() {
      return advisories.stream().filter(Advisory::withdrawn).count();
    }
  }

  private final List<Advisory> advisories = new ArrayList<>();
  private final List<Problem> notes = new ArrayList<>();
  private int files;
  private long total;

  private OsvLoader() {}

  /**
   * @throws IOException when the path cannot be read
   * @throws ProblemException ({@link AdvisoryProblem#ADVISORY_MALFORMED}) for bad content
   */
  public static Load load(Path path) throws IOException {
    OsvLoader loader = new OsvLoader();
    loader.loadPath(path);
    return new Load(loader.advisories, loader.notes, loader.files);
  }

  /** Several paths into one load. */
  public static Load loadAll(List<Path> paths) throws IOException {
    OsvLoader loader = new OsvLoader();
    for (Path path : paths) {
      loader.loadPath(path);
    }
    return new Load(loader.advisories, loader.notes, loader.files);
  }

  private void loadPath(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      List<Path> jsonFiles;
      try (Stream<Path> walk = Files.walk(path)) {
        jsonFiles =
            walk.filter(Files::isRegularFile)
                .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"))
                .sorted()
                .toList();
      }
      for (Path file : jsonFiles) {
        loadFile(file);
      }
    } else if (Files.isRegularFile(path)) {
      loadFile(path);
    } else {
      throw new IOException("no such file or directory: " + path);
    }
  }

  private void loadFile(Path file) throws IOException {
    if (isZip(file)) {
      loadZip(file);
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      add(readBounded(in, file.toString()), file.getFileName().toString());
    }
  }

  private static boolean isZip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4
          && magic[0] == 'P'
          && magic[1] == 'K'
          && magic[2] == 3
          && magic[3] == 4;
    }
  }

  private void loadZip(Path file) throws IOException {
    // ZipFile reads the central directory, so a truncated or corrupt archive is refused, not
    // silently read as empty
    try (ZipFile zip = new ZipFile(file.toFile())) {
      var entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory() || !entry.getName().toLowerCase(Locale.ROOT).endsWith(".json")) {
          continue;
        }
        try (InputStream in = zip.getInputStream(entry)) {
          add(readBounded(in, file.getFileName() + "!" + entry.getName()), entry.getName());
        }
      }
    } catch (ZipException e) {
      throw OsvFields.JSON.malformed(
          file.getFileName() + ": not a readable zip archive: " + e.getMessage());
    }
  }

  private byte[] readBounded(InputStream in, String name) throws IOException {
    if (++files > MAX_FILES) {
      throw OsvFields.JSON.malformed("more than " + MAX_FILES + " advisory files");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
      total += n;
      if (out.size() > MAX_RECORD_BYTES) {
        throw OsvFields.JSON.malformed(name + ": larger than " + MAX_RECORD_BYTES + " bytes");
      }
      if (total > MAX_TOTAL_BYTES) {
        throw OsvFields.JSON.malformed(
            "advisories larger than " + MAX_TOTAL_BYTES + " bytes in total");
      }
    }
    return out.toByteArray();
  }

  private void add(byte[] bytes, String source) {
    advisories.addAll(OsvParser.parse(bytes, source, notes));
  }
}
