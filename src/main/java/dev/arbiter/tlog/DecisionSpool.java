// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.tlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's local copy of the decisions it has accepted but not yet written to the database, so
 * that a process that dies (kill -9, out of memory) loses none of the decisions whose results it
 * already returned: the next start writes those not already in the log. One line per decision (its
 * canonical leaf text) in numbered segment files {@code spool-<n>.jsonl} under one directory.
 *
 * <p>A segment is a preallocated file of {@link #segmentBytes} bytes mapped into memory, so that
 * adding a decision on the attesting thread is a copy into the page cache: no system call, no file
 * lock, nothing that blocks a virtual thread's carrier. What is copied survives the process (the
 * page cache belongs to the kernel), not the host: a host failure loses at most what was queued, as
 * before. A line never straddles segments; the unused tail of a segment stays zero bytes, so
 * reading stops at the first zero byte (a line cut short there by a kill is skipped). The writer
 * maps the next segment ahead of need ({@link #prepareNext}), so the attesting thread that fills a
 * segment only switches buffers.
 *
 * <p>The writer {@link #mark marks} the active segment whenever it has taken everything queued, and
 * once that batch commits {@link #release releases} the segments before the mark: all their lines
 * are committed. The marked segment itself stays until a later mark passes it, so a restart may
 * find committed lines in it; {@link TransparencyLog#spoolTo} skips those by their {@code jti}.
 * Callers synchronize on this object for {@link #add}, {@link #mark}, {@link #prepareNext}'s
 * install and {@link #close}; {@link #release} touches only segments no one writes and may run
 * without the lock from the one thread that marks.
 */
final class DecisionSpool {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionSpool.class);
  private static final String PREFIX = "spool-";
  private static final String SUFFIX = ".jsonl";
  private static final Pattern SEGMENT =
      Pattern.compile(Pattern.quote(PREFIX) + "\\d+" + Pattern.quote(SUFFIX));
  private static final int PAGE = 4096;

  /** Default segment size: 4 MiB, about 8,000 decisions. */
  static final int DEFAULT_SEGMENT_BYTES = 4 << 20;

  private final Path directory;
  private final int segmentBytes;
  private final List<LogEntry> recovered;
  private final long firstSegment;
  // under this object's lock
  private long segment;
  private MappedByteBuffer active;
  // the segment after the active one, mapped ahead by the writer (null until then)
  private MappedByteBuffer prepared;
  private boolean closed;

  private DecisionSpool(
      Path directory, int segmentBytes, List<LogEntry> recovered, long firstSegment) {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    this.recovered = List.copyOf(recovered);
    this.firstSegment = firstSegment;
    this.segment = firstSegment;
    this.active = touch(map(firstSegment, segmentBytes));
  }

  /** Opens (creating) the spool in {@code directory}, reading what a previous process left. */
  static DecisionSpool open(Path directory) throws IOException {
    return open(directory, DEFAULT_SEGMENT_BYTES);
  }

  static DecisionSpool open(Path directory, int segmentBytes) throws IOException {
    if (segmentBytes < PAGE) {
      throw new IllegalArgumentException("a spool segment is at least one page");
    }
    Files.createDirectories(directory);
    List<LogEntry> recovered = new ArrayList<>();
    long last = 0;
    for (Path file : segments(directory)) {
      last = Math.max(last, number(file));
      recovered.addAll(read(file));
    }
    try {
      return new DecisionSpool(directory, segmentBytes, recovered, last + 1);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (InternalError e) {
      // SIGBUS while touching the first segment: the file system cannot back it (full)
      throw new IOException("cannot prepare the decision spool in " + directory + ": " + e);
    }
  }

  /** The lines of one segment up to its first zero byte; a line that does not parse is skipped. */
  private static List<LogEntry> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    List<LogEntry> entries = new ArrayList<>();
    for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        entries.add(LogEntry.parse(line));
      } catch (IllegalArgumentException e) {
        // the last line of a process killed while copying it: its result was never returned
        LOG.warn("decision spool {}: skipping an incomplete line", file.getFileName());
      }
    }
    return entries;
  }

  /** The decisions a previous process spooled (some may be in the log already). */
  List<LogEntry> recovered() {
    return recovered;
  }

  /** Deletes the segments the recovered decisions came from (once they are in the log). */
  void discardRecovered() {
    release(firstSegment);
  }

  /** Adds one decision to the active segment (a copy into mapped memory). */
  void add(LogEntry entry) {
    byte[] line = entry.leafDataShared();
    int length = line.length + 1;
    if (closed) {
      throw new IllegalStateException("the decision spool is closed");
    }
    if (active.remaining() < length) {
      next(length);
    }
    try {
      active.put(line).put((byte) '\n');
    } catch (InternalError e) {
      // SIGBUS: the file system could not back a page (full) of a segment mapped inline
      throw new UncheckedIOException(
          new IOException("cannot write the decision spool in " + directory + ": " + e));
    }
  }

  /** Moves to the next segment: the prepared one when it is ready and large enough. */
  private void next(int length) {
    long number = segment + 1;
    MappedByteBuffer buffer;
    if (prepared != null && prepared.capacity() >= length) {
      buffer = prepared;
    } else {
      // not prepared in time (or a line longer than a segment): map it here, once
      buffer = map(number, Math.max(segmentBytes, length));
    }
    prepared = null;
    segment = number;
    active = buffer;
  }

  /**
   * Maps the segment after the active one if it is not mapped yet, touching each page so that the
   * attesting threads that write into it take no page fault. The file work runs outside the lock;
   * call from the writer thread, not holding this object's lock.
   */
  void prepareNext() {
    long number;
    synchronized (this) {
      if (closed || prepared != null) {
        return;
      }
      number = segment + 1;
    }
    MappedByteBuffer buffer;
    try {
      buffer = map(number, segmentBytes);
    } catch (UncheckedIOException e) {
      LOG.warn("cannot prepare the next decision spool segment: {}", e.getMessage());
      return;
    }
    try {
      touch(buffer);
    } catch (InternalError e) {
      LOG.warn(
          "cannot prepare the next decision spool segment (file system full?): {}", e.toString());
      return;
    }
    synchronized (this) {
      if (!closed && prepared == null && segment + 1 == number) {
        prepared = buffer;
      }
    }
  }

  /**
   * The active segment's number: once everything added so far is committed, {@link #release} of it
   * deletes the segments before it.
   */
  long mark() {
    return segment;
  }

  /** Deletes the segments numbered below {@code before}. */
  void release(long before) {
    try {
      for (Path file : segments(directory)) {
        if (number(file) < before) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot delete decision spool segments in {}: {}", directory, e.toString());
    }
  }

  /** Stops accepting lines; the mapped segments stay on disk until released. */
  void close() {
    closed = true;
    active = null;
    prepared = null;
  }

  /**
   * Writes a zero into each page, so the file system backs every page now (a full one fails here,
   * not under an attesting thread) and writers into it take no page fault.
   */
  private static MappedByteBuffer touch(MappedByteBuffer buffer) {
    for (int page = 0; page < buffer.capacity(); page += PAGE) {
      buffer.put(page, (byte) 0);
    }
    return buffer;
  }

  private MappedByteBuffer map(long number, int bytes) {
    try (FileChannel channel =
        FileChannel.open(
            directory.resolve(PREFIX + number + SUFFIX),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      // a sparse file of zero bytes; the mapping stays valid after the channel closes
      return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map the decision spool segment in " + directory, e);
    }
  }

  private static List<Path> segments(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> SEGMENT.matcher(f.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(DecisionSpool::number))
          .toList();
    }
  }

  private static long number(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
  }
}
