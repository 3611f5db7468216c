// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.store;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary {@code COPY} format (the file header, then per row the field count
 * and each field as a 32-bit length and its bytes, then the trailer), for batch inserts that run on
 * every attestation (the transparency log's leaves, the fleet's events): one {@code COPY ... FROM
 * STDIN (FORMAT binary)} per table and batch ({@link #copyIn}), no per-row statement and nothing
 * for the server to parse. Only the column types those tables use: {@code bigint}, {@code
 * smallint}, {@code bytea}, {@code text} (UTF-8 bytes) and {@code timestamptz}. Not thread-safe.
 */
public final class CopyRows {
  private static final byte[] HEADER = {
    'P',
    'G',
    'C',
    'O',
    'P',
    'Y',
    '\n',
    (byte) 0xff,
    '\r',
    '\n',
    0, // signature
    0,
    0,
    0,
    0, // flags: no OIDs
    0,
    0,
    0,
    0 // header extension length
  };

  /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix seconds. */
  private static final long PG_EPOCH_SECONDS = 946_684_800L;

  private byte[] buffer;
  private int length;
  private int rows;

  /** A buffer for about {@code bytesExpected} bytes of rows. */
  public CopyRows(int bytesExpected) {
    buffer = new byte[Math.max(64, HEADER.length + bytesExpected + 2)];
    System.arraycopy(HEADER, 0, buffer, 0, HEADER.length);
    length = HEADER.length;
  }

  /** Starts a row of {@code fields} columns. */
  public CopyRows row(int fields) {
    ensure(2);
    putShort(fields);
    rows++;
    return this;
  }

  public CopyRows bigint(long value) {
    ensure(12);
    putInt(8);
    putLong(value);
    return this;
  }

  public CopyRows smallint(int value) {
    if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
      throw new IllegalArgumentException("not a smallint: " + value);
    }
    ensure(6);
    putInt(2);
    putShort(value);
    return this;
  }

  /** A {@code bytea} or {@code text} field: the bytes as they are (text: its UTF-8). */
  public CopyRows bytes(byte[] value) {
    ensure(4 + value.length);
    putInt(value.length);
    System.arraycopy(value, 0, buffer, length, value.length);
    length += value.length;
    return this;
  }

  /** A {@code text} field (its UTF-8 bytes), or NULL for {@code null}. */
  public CopyRows text(String value) {
    return value == null ? nullValue() : bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** A NULL field. */
  public CopyRows nullValue() {
    ensure(4);
    putInt(-1);
    return this;
  }

  /** A {@code timestamptz} of {@link #micros(Instant)}, computed once for a batch. */
  public CopyRows timestampMicros(long micros) {
    ensure(12);
    putInt(8);
    putLong(micros);
    return this;
  }

  /**
   * A {@code timestamptz}: microseconds since PostgreSQL's epoch (2000-01-01 UTC), the instant
   * rounded to the nearest microsecond (half up), as PgJDBC rounds a bound {@code OffsetDateTime}.
   */
  public static long micros(Instant instant) {
    long seconds = Math.subtractExact(instant.getEpochSecond(), PG_EPOCH_SECONDS);
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), (instant.getNano() + 500) / 1000);
  }

  /** The rows written so far. */
  public int rows() {
    return rows;
  }

  /** The complete COPY data: header, rows and trailer (no more rows may be added after). */
  public byte[] finish() {
    ensure(2);
    putShort(-1);
    byte[] out = Arrays.copyOf(buffer, length);
    buffer = null;
    return out;
  }

  /**
   * Runs {@code sql} (a {@code COPY ... FROM STDIN (FORMAT binary)}) with these rows on the
   * handle's connection, so in its transaction, and checks that the server stored every row.
   * Finishes the rows.
   *
   * @param what names the table's purpose in error messages ("append to the transparency log")
   * @throws StoreException when the copy fails or stores another number of rows
   */
  public void copyIn(Handle handle, String sql, String what) {
    int expected = rows();
    byte[] data = finish();
    long stored;
    try {
      CopyIn in = handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
      try {
        in.writeToCopy(data, 0, data.length);
        stored = in.endCopy();
      } finally {
        if (in.isActive()) {
          in.cancelCopy();
        }
      }
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
    if (stored != expected) {
      throw new StoreException(what + ": stored " + stored + " rows instead of " + expected, null);
    }
  }

  private void ensure(int more) {
    if (buffer == null) {
      throw new IllegalStateException("COPY data already finished");
    }
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }

  private void putShort(int value) {
    buffer[length++] = (byte) (value >>> 8);
    buffer[length++] = (byte) value;
  }

  private void putInt(int value) {
    buffer[length++] = (byte) (value >>> 24);
    buffer[length++] = (byte) (value >>> 16);
    buffer[length++] = (byte) (value >>> 8);
    buffer[length++] = (byte) value;
  }

  private void putLong(long value) {
    putInt((int) (value >>> 32));
    putInt((int) value);
  }
}
