// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's local copy of the decisions it has accepted but not yet written to the database, so
 * that a process that dies (kill -9, out of memory) loses none of the decisions whose results it
 * already returned: the next start writes them (those not already in the log). One line per
 * decision (its canonical leaf text) in numbered segment files {@code spool-<n>.jsonl} under one
 * directory; the writer rotates to a new segment whenever it takes the queue and deletes a segment
 * once everything taken from it is committed. Lines are written with {@code write(2)} and no {@code
 * fsync}: they survive the process, not the host (the page cache); a host failure loses at most
 * what was queued, as before. Callers synchronize on this object for {@link #add}, {@link #rotate}
 * and {@link #close}; {@link #release} touches only ended segments and may run without the lock
 * from the one thread that rotates.
 */
final class DecisionSpool {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionSpool.class);
  private static final String PREFIX = "spool-";
  private static final String SUFFIX = ".jsonl";
  private static final java.util.regex.Pattern SEGMENT =
      java.util.regex.Pattern.compile(
          java.util.regex.Pattern.quote(PREFIX) + "\\d+" + java.util.regex.Pattern.quote(SUFFIX));

  private final Path directory;
  private final List<LogEntry> recovered;
  private long segment;
  private FileChannel active;

  private DecisionSpool(Path directory, List<LogEntry> recovered, long segment) throws IOException {
    this.directory = directory;
    this.recovered = List.copyOf(recovered);
    this.segment = segment;
    this.active = open(segment);
  }

  /** Opens (creating) the spool in {@code directory}, reading what a previous process left. */
  static DecisionSpool open(Path directory) throws IOException {
    Files.createDirectories(directory);
    List<LogEntry> recovered = new ArrayList<>();
    long last = 0;
    for (Path file : segments(directory)) {
      last = Math.max(last, number(file));
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          recovered.add(LogEntry.parse(line));
        } catch (IllegalArgumentException e) {
          // the last line of a process killed while writing it: its result was never returned
          LOG.warn("decision spool {}: skipping an incomplete line", file.getFileName());
        }
      }
    }
    return new DecisionSpool(directory, recovered, last + 1);
  }

  /** The decisions a previous process spooled (some may be in the log already). */
  List<LogEntry> recovered() {
    return recovered;
  }

  /** Deletes the segments the recovered decisions came from (once they are in the log). */
  void discardRecovered() {
    release(segment - 1);
  }

  /** Adds one decision to the active segment. */
  void add(LogEntry entry) {
    ByteBuffer line = ByteBuffer.wrap((entry.leafText() + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      while (line.hasRemaining()) {
        active.write(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the decision spool in " + directory, e);
    }
  }

  /**
   * Starts a new segment; returns the number of the one that ends (holding everything added so
   * far), to {@link #release} once that is committed.
   */
  long rotate() {
    long ended = segment;
    try {
      active.close();
      segment++;
      active = open(segment);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rotate the decision spool in " + directory, e);
    }
    return ended;
  }

  /** Deletes segments up to and including {@code upTo}. */
  void release(long upTo) {
    try {
      for (Path file : segments(directory)) {
        if (number(file) <= upTo) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot delete decision spool segments in {}: {}", directory, e.toString());
    }
  }

  void close() {
    try {
      active.close();
    } catch (IOException e) {
      LOG.warn("closing the decision spool failed: {}", e.toString());
    }
  }

  private FileChannel open(long number) throws IOException {
    return FileChannel.open(
        directory.resolve(PREFIX + number + SUFFIX),
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
  }

  private static List<Path> segments(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> SEGMENT.matcher(f.getFileName().toString()).matches())
          .sorted(java.util.Comparator.comparingLong(DecisionSpool::number))
          .toList();
    }
  }

  private static long number(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
  }
}
