// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.eventlog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TCG crypto-agile event log (TCG PC Client Platform Firmware Profile §10.2): a TCG_PCR_EVENT
 * header (SHA-1 format) whose data is the {@code TCG_EfiSpecIDEvent} "Spec ID Event03" declaring
 * the digest algorithms and their sizes, followed by TCG_PCR_EVENT2 records (register index, event
 * type, TPML_DIGEST_VALUES, event data). All integers are little-endian. The same format carries
 * the confidential-computing event log (TDX CCEL), where the index is a CC measurement register.
 *
 * <p>Parsing only: nothing here is trusted until {@link EventLogs#verify} replays it to signed
 * registers. Bytes after the last event that are all 0x00 or all 0xFF (the unused part of the CCEL
 * area, or of a fixed-size firmware buffer) end the log and are counted in {@link #padding()}.
 *
 * @param algorithms the algorithms the Spec ID event declares: TPM_ALG_ID to digest size, in order
 * @param events the TCG_PCR_EVENT2 records in log order
 * @param padding trailing 0x00/0xFF bytes after the last event
 */
record TcgEventLog(Map<Integer, Integer> algorithms, List<Event> events, int padding) {
  static final int MAX_EVENTS = 20_000;
  static final int MAX_ALGORITHMS = 8;
  private static final byte[] SPEC_ID_03 = "Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SPEC_ID_PREFIX = "Spec ID Event".getBytes(StandardCharsets.US_ASCII);

  TcgEventLog {
    algorithms = Collections.unmodifiableMap(new LinkedHashMap<>(algorithms));
    events = List.copyOf(events);
  }

  /**
   * One TCG_PCR_EVENT2.
   *
   * @param number position in the log, starting at 1 (the header is event 0)
   * @param index the PCR (TPM) or CC measurement register index (CCEL)
   * @param type the event type
   * @param digests TPM_ALG_ID to digest, in log order
   * @param data the event data
   */
  record Event(int number, long index, long type, Map<Integer, byte[]> digests, byte[] data) {
    Event {
      digests = Collections.unmodifiableMap(new LinkedHashMap<>(digests));
    }
  }

  static TcgEventLog parse(byte[] bytes) throws EventLogException {
    Reader in = new Reader(bytes);
    in.u32("header PCRIndex");
    long type = in.u32("header EventType");
    in.bytes(20, "header digest");
    int size = in.size("header EventSize");
    byte[] spec = in.bytes(size, "header event");
    if (type != EventTypes.EV_NO_ACTION || !startsWith(spec, SPEC_ID_PREFIX)) {
      throw new EventLogException(
          "the log does not start with a TCG_EfiSpecIDEvent (EV_NO_ACTION \"Spec ID Event\")");
    }
    if (!startsWith(spec, SPEC_ID_03)) {
      throw EventLogException.unsupported(
          "only crypto-agile logs (\"Spec ID Event03\") are supported, not the SHA-1 log format");
    }
    Map<Integer, Integer> algorithms = specAlgorithms(spec);
    List<Event> events = new ArrayList<>();
    while (in.remaining() > 0) {
      if (in.restIsPadding()) {
        return new TcgEventLog(algorithms, events, in.remaining());
      }
      if (events.size() == MAX_EVENTS) {
        throw new EventLogException("the log holds more than " + MAX_EVENTS + " events");
      }
      events.add(event(in, events.size() + 1, algorithms));
    }
    return new TcgEventLog(algorithms, events, 0);
  }

  private static Event event(Reader in, int number, Map<Integer, Integer> algorithms)
      throws EventLogException {
    String at = "event " + number;
    long index = in.u32(at + " index");
    long type = in.u32(at + " type");
    long count = in.u32(at + " digest count");
    if (count != algorithms.size()) {
      throw new EventLogException(
          at
              + " has "
              + count
              + " digests, the Spec ID event declares "
              + algorithms.size()
              + " algorithms");
    }
    Map<Integer, byte[]> digests = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      int alg = in.u16(at + " digest algorithm");
      Integer digestSize = algorithms.get(alg);
      if (digestSize == null) {
        throw new EventLogException(
            String.format(
                "%s uses algorithm 0x%04x, which the Spec ID event does not declare", at, alg));
      }
      if (digests.put(alg, in.bytes(digestSize, at + " digest")) != null) {
        throw new EventLogException(String.format("%s repeats algorithm 0x%04x", at, alg));
      }
    }
    int size = in.size(at + " event size");
    return new Event(number, index, type, digests, in.bytes(size, at + " data"));
  }

  /** TCG_EfiSpecIDEvent: signature[16], platformClass, versions, uintnSize, algorithms, vendor. */
  private static Map<Integer, Integer> specAlgorithms(byte[] spec) throws EventLogException {
    Reader in = new Reader(spec);
    in.bytes(16 + 4 + 4, "Spec ID event");
    long count = in.u32("Spec ID numberOfAlgorithms");
    if (count < 1 || count > MAX_ALGORITHMS) {
      throw new EventLogException("the Spec ID event declares " + count + " algorithms");
    }
    Map<Integer, Integer> algorithms = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      int alg = in.u16("Spec ID algorithmId");
      int size = in.u16("Spec ID digestSize");
      if (size < 1 || size > 64) {
        throw new EventLogException(
            String.format("the Spec ID event gives algorithm 0x%04x %d-byte digests", alg, size));
      }
      LogAlg known = LogAlg.byId(alg).orElse(null);
      if (known != null && known.size != size) {
        throw new EventLogException(
            "the Spec ID event gives " + known.bank() + " " + size + "-byte digests");
      }
      if (algorithms.put(alg, size) != null) {
        throw new EventLogException(
            String.format("the Spec ID event declares algorithm 0x%04x twice", alg));
      }
    }
    int vendor = in.u8("Spec ID vendorInfoSize");
    in.bytes(vendor, "Spec ID vendorInfo");
    return algorithms;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Bounds-checked little-endian cursor. */
  private static final class Reader {
    private final byte[] data;
    private int position;

    Reader(byte[] data) {
      this.data = data;
    }

    int remaining() {
      return data.length - position;
    }

    boolean restIsPadding() {
      byte first = data[position];
      if (first != 0 && first != (byte) 0xff) {
        return false;
      }
      for (int i = position; i < data.length; i++) {
        if (data[i] != first) {
          return false;
        }
      }
      return true;
    }

    private void need(long count, String field) throws EventLogException {
      if (count > remaining()) {
        throw new EventLogException(
            field
                + " is truncated: needs "
                + count
                + " bytes at offset "
                + position
                + ", "
                + remaining()
                + " left");
      }
    }

    int u8(String field) throws EventLogException {
      need(1, field);
      return data[position++] & 0xff;
    }

    int u16(String field) throws EventLogException {
      need(2, field);
      int value = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8;
      position += 2;
      return value;
    }

    long u32(String field) throws EventLogException {
      need(4, field);
      long value = 0;
      for (int i = 3; i >= 0; i--) {
        value = (value << 8) | (data[position + i] & 0xff);
      }
      position += 4;
      return value;
    }

    /** A UINT32 size that must fit in the remaining bytes. */
    int size(String field) throws EventLogException {
      long size = u32(field);
      need(size, field + " (" + size + " bytes)");
      return (int) size;
    }

    byte[] bytes(int count, String field) throws EventLogException {
      need(count, field);
      byte[] out = Arrays.copyOfRange(data, position, position + count);
      position += count;
      return out;
    }
  }
}
