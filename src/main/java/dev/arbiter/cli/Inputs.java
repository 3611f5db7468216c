// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import dev.arbiter.internal.Encodings;
import dev.arbiter.internal.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reading CLI input files: size-bounded, with one-line errors (exit 2). */
public final class Inputs {
  /** No single input file may exceed this (evidence, collateral, SBOMs, ...). */
  public static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  private Inputs() {}

  /** The file name that means standard input. */
  public static final String STDIN = "-";

  private static final ThreadLocal<Boolean> STDIN_READ = ThreadLocal.withInitial(() -> false);

  /** Whether {@code path} is {@code -} (standard input). */
  public static boolean isStdin(Path path) {
    return path != null && path.toString().equals(STDIN);
  }

  /**
   * Reads a file, or standard input for {@code -} (once per command: a second {@code -} is a usage
   * error).
   */
  public static byte[] read(Path path) {
    if (isStdin(path)) {
      return readStdin();
    }
    try {
      if (!Files.isRegularFile(path)) {
        throw CliException.usage("not a readable file: " + path);
      }
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw CliException.usage("file too large: " + path);
      }
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw CliException.usage("cannot read " + path + ": " + e.getMessage());
    }
  }

  /** Reads a text file (UTF-8), or standard input for {@code -}. */
  public static String readText(Path path) {
    return new String(read(path), StandardCharsets.UTF_8);
  }

  private static byte[] readStdin() {
    if (STDIN_READ.get()) {
      throw CliException.usage("standard input ('-') can be read only once per command");
    }
    STDIN_READ.set(true);
    try {
      byte[] bytes =
          System.in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_FILE_BYTES + 1));
      if (bytes.length > MAX_FILE_BYTES) {
        throw CliException.usage("standard input too large");
      }
      return bytes;
    } catch (IOException e) {
      throw CliException.usage("cannot read standard input: " + e.getMessage());
    }
  }

  /** Forgets that standard input was read (each command run starts fresh). */
  static void resetStdin() {
    STDIN_READ.remove();
  }

  /** Every regular file under a path (the path itself when it is a file), sorted by name. */
  public static List<Path> expand(Path path) {
    if (isStdin(path) || Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw CliException.usage("no such file or directory: " + path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw CliException.usage("cannot read " + path + ": " + e.getMessage());
    }
  }

  /**
   * Decodes evidence given as raw binary, hex text or base64 text. JSON containers and anything
   * else is returned unchanged for the scheme to interpret. Files are sniffed: white space is
   * dropped first (text files end in a newline and tools such as {@code base64} wrap lines at 76),
   * an optional {@code 0x} prefix too; then text that is all hex digits is hex, otherwise text that
   * decodes under {@link Encodings#base64}'s strict rules is base64, and anything else is passed on
   * as it is.
   */
  public static byte[] decodeEvidence(byte[] bytes) {
    if (!isPrintableAscii(bytes)) {
      return bytes;
    }
    String text = new String(bytes, StandardCharsets.US_ASCII).strip();
    if (text.startsWith("{") || text.startsWith("[") || text.startsWith("-----")) {
      return bytes;
    }
    String compact = Encodings.withoutWhitespace(text);
    if (compact.startsWith("0x")) {
      compact = compact.substring(2);
    }
    if (Hex.isHex(compact)) {
      return Encodings.hex(compact);
    }
    if (!compact.isEmpty()) {
      try {
        return Encodings.base64(compact);
      } catch (IllegalArgumentException e) {
        return bytes;
      }
    }
    return bytes;
  }

  static boolean isPrintableAscii(byte[] bytes) {
    if (bytes.length == 0) {
      return false;
    }
    for (byte b : bytes) {
      if ((b < 0x20 || b > 0x7e) && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Parses an RFC 3339 time such as {@code 2025-01-01T00:00:00Z}. */
  public static Instant parseTime(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw CliException.usage("not an RFC 3339 time: " + text);
    }
  }

  public static byte[] parseHex(String option, String text) {
    try {
      return Hex.decode(text);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(option + " is not hex: " + e.getMessage());
    }
  }

  public static List<byte[]> readAll(List<Path> paths) {
    List<byte[]> out = new ArrayList<>();
    for (Path path : paths) {
      out.add(read(path));
    }
    return out;
  }
}
