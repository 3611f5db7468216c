// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.eventlog;

import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes TCG crypto-agile event logs the way firmware does (TCG_PCR_EVENT header with the Spec ID
 * Event03, then TCG_PCR_EVENT2 records, little-endian) and computes, independently of the code
 * under test, the register values they extend to. Test code only.
 */
public final class EventLogBuilder {
  public static final int SHA1 = 0x0004;
  public static final int SHA256 = 0x000B;
  public static final int SHA384 = 0x000C;
  public static final int SM3 = 0x0012;

  public static final long EV_NO_ACTION = 0x3;
  public static final long EV_SEPARATOR = 0x4;
  public static final long EV_IPL = 0xD;
  public static final long EV_EFI_VARIABLE_DRIVER_CONFIG = 0x80000001L;
  public static final long EV_EFI_BOOT_SERVICES_APPLICATION = 0x80000003L;
  public static final long EV_EFI_ACTION = 0x80000007L;

  static final String EFI_GLOBAL = "61dfe48bca93d211aa0d00e098032b8c";
  static final String IMAGE_SECURITY = "cbb219d73a3d9645a3bcdad00e67656f";

  private final int[] algorithms;
  private final boolean ccel;
  private final ByteArrayOutputStream events = new ByteArrayOutputStream();
  private final Map<Integer, Map<Long, byte[]>> registers = new LinkedHashMap<>();
  private int count;

  private EventLogBuilder(boolean ccel, int... algorithms) {
    this.ccel = ccel;
    this.algorithms = algorithms.clone();
    for (int alg : algorithms) {
      registers.put(alg, new TreeMap<>());
    }
  }

  /** A TPM log with SHA-1 and SHA-256 banks. */
  public static EventLogBuilder tpm() {
    return new EventLogBuilder(false, SHA1, SHA256);
  }

  /** A TPM log with the given algorithms (SM3 has 32-byte digests and is never replayed). */
  public static EventLogBuilder tpm(int... algorithms) {
    return new EventLogBuilder(false, algorithms);
  }

  /** A TDX CC event log: SHA-384 only, registers 1..4 = RTMR0..3. */
  public static EventLogBuilder ccel() {
    return new EventLogBuilder(true, SHA384);
  }

  static String jca(int alg) {
    return switch (alg) {
      case SHA1 -> "SHA-1";
      case SHA256 -> "SHA-256";
      case SHA384 -> "SHA-384";
      case SM3 -> "SHA-256"; // stands in for SM3's 32-byte digests; never replayed
      default -> throw new IllegalArgumentException("alg " + alg);
    };
  }

  static int size(int alg) {
    return switch (alg) {
      case SHA1 -> 20;
      case SHA384 -> 48;
      default -> 32;
    };
  }

  /** An event whose digests are the hashes of its data (most event types). */
  public EventLogBuilder event(long index, long type, byte[] data) {
    return measured(index, type, data, data);
  }

  /** An event whose digests are the hashes of {@code measured}, not of its data. */
  public EventLogBuilder measured(long index, long type, byte[] data, byte[] measured) {
    Map<Integer, byte[]> digests = new LinkedHashMap<>();
    for (int alg : algorithms) {
      digests.put(alg, Digests.digest(jca(alg), measured));
    }
    return raw(index, type, digests, data);
  }

  /** An event with exactly these digests (extended as given unless EV_NO_ACTION). */
  public EventLogBuilder raw(long index, long type, Map<Integer, byte[]> digests, byte[] data) {
    u32(events, index);
    u32(events, type);
    u32(events, digests.size());
    digests.forEach((alg, digest) -> {
      u16(events, alg);
      events.writeBytes(digest);
      if (type != EV_NO_ACTION && registers.containsKey(alg) && alg != SM3) {
        byte[] current = registers.get(alg).getOrDefault(index, new byte[digest.length]);
        registers.get(alg).put(index, Digests.digest(jca(alg), current, digest));
      }
    });
    u32(events, data.length);
    events.writeBytes(data);
    count++;
    return this;
  }

  public EventLogBuilder separator(long index) {
    return event(index, EV_SEPARATOR, new byte[4]);
  }

  /** EV_EFI_VARIABLE_DRIVER_CONFIG of a UEFI_VARIABLE_DATA (digest over the whole structure). */
  public EventLogBuilder variable(long index, String guidHex, String name, byte[] value) {
    return event(index, EV_EFI_VARIABLE_DRIVER_CONFIG, variableData(guidHex, name, value));
  }

  public static byte[] variableData(String guidHex, String name, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Hex.decode(guidHex));
    u64(out, name.length());
    u64(out, value.length);
    out.writeBytes(name.getBytes(StandardCharsets.UTF_16LE));
    out.writeBytes(value);
    return out.toByteArray();
  }

  /** A Secure Boot configuration: SecureBoot, PK, KEK, db, dbx, separator. */
  public EventLogBuilder secureBoot(long index, boolean enabled) {
    return variable(index, EFI_GLOBAL, "SecureBoot", new byte[] {(byte) (enabled ? 1 : 0)})
        .variable(index, EFI_GLOBAL, "PK", bytes("platform key"))
        .variable(index, EFI_GLOBAL, "KEK", bytes("key exchange key"))
        .variable(index, IMAGE_SECURITY, "db", bytes("db certificates"))
        .variable(index, IMAGE_SECURITY, "dbx", bytes("revoked hashes"))
        .separator(index);
  }

  /** An EFI application load: the digest is the image's (Authenticode) hash, not of the data. */
  public EventLogBuilder application(long index, String image) {
    return measured(index, EV_EFI_BOOT_SERVICES_APPLICATION, new byte[40], bytes(image));
  }

  /** GRUB's kernel command line event: data {@code kernel_cmdline: <line>\0}, digest H(line). */
  public EventLogBuilder grubCmdline(long index, String line) {
    return measured(index, EV_IPL, bytes("kernel_cmdline: " + line + "\0"), bytes(line));
  }

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public int eventCount() {
    return count;
  }

  /** The log: the Spec ID Event03 header, then the events. */
  public byte[] build() {
    ByteArrayOutputStream spec = new ByteArrayOutputStream();
    spec.writeBytes("Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII));
    u32(spec, 0); // platformClass
    spec.write(0); // specVersionMinor
    spec.write(2); // specVersionMajor
    spec.write(ccel ? 0 : 2); // specErrata
    spec.write(2); // uintnSize (UINT64)
    u32(spec, algorithms.length);
    for (int alg : algorithms) {
      u16(spec, alg);
      u16(spec, size(alg));
    }
    spec.write(0); // vendorInfoSize
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u32(out, 0);
    u32(out, EV_NO_ACTION);
    out.writeBytes(new byte[20]);
    u32(out, spec.size());
    out.writeBytes(spec.toByteArray());
    out.writeBytes(events.toByteArray());
    return out.toByteArray();
  }

  /** Register values the events extend to, per algorithm id (registers start at zero). */
  public Map<Long, byte[]> registers(int alg) {
    return registers.get(alg);
  }

  /** The SHA-256 bank as {@code index -> value} for quotes. */
  public Map<Integer, byte[]> sha256() {
    Map<Integer, byte[]> out = new TreeMap<>();
    registers(SHA256).forEach((index, value) -> out.put(index.intValue(), value));
    return out;
  }

  /** Signed values per bank name for {@link EventLogs#verify}. */
  public Map<String, Map<Integer, byte[]>> signed() {
    Map<String, Map<Integer, byte[]>> out = new LinkedHashMap<>();
    registers.forEach((alg, values) -> {
      if (alg == SM3) {
        return;
      }
      Map<Integer, byte[]> bank = new TreeMap<>();
      values.forEach((index, value) -> bank.put(index.intValue(), value.clone()));
      out.put(
          switch (alg) {
            case SHA1 -> "sha1";
            case SHA256 -> "sha256";
            default -> "sha384";
          },
          bank);
    });
    return out;
  }

  /** A copy of {@code log} without its last {@code count} bytes. */
  public static byte[] truncated(byte[] log, int count) {
    return Arrays.copyOf(log, log.length - count);
  }

  private static void u16(ByteArrayOutputStream out, int value) {
    out.write(value);
    out.write(value >> 8);
  }

  private static void u32(ByteArrayOutputStream out, long value) {
    u16(out, (int) value & 0xffff);
    u16(out, (int) (value >> 16) & 0xffff);
  }

  private static void u64(ByteArrayOutputStream out, long value) {
    u32(out, value & 0xffffffffL);
    u32(out, value >>> 32);
  }
}
