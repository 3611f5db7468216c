// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.eventlog;

import dev.arbiter.crypto.Digests;
import dev.arbiter.internal.Hex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Normalized boot claims from a replayed log (README.md "Claims"): {@code secure_boot} from the
 * EV_EFI_VARIABLE_DRIVER_CONFIG events, {@code boot.loader}/{@code boot.kernel} from
 * EV_EFI_BOOT_SERVICES_APPLICATION digests, {@code boot.cmdline} from GRUB's or systemd-stub's
 * EV_IPL events. Event data is used only when it hashes to the event's digest in {@code bank}.
 */
final class BootClaims {
  /** EFI_GLOBAL_VARIABLE 8be4df61-93ca-11d2-aa0d-00e098032b8c, as stored (mixed endian). */
  private static final byte[] EFI_GLOBAL = guid("61dfe48bca93d211aa0d00e098032b8c");

  /** EFI_IMAGE_SECURITY_DATABASE_GUID d719b2cb-3d3a-4596-a3bc-dad00e67656f. */
  private static final byte[] IMAGE_SECURITY = guid("cbb219d73a3d9645a3bcdad00e67656f");

  private static final List<String> GRUB_CMDLINE =
      List.of("kernel_cmdline: ", "grub_kernel_cmdline ");

  private BootClaims() {}

  private static byte[] guid(String hex) {
    return Hex.decode(hex);
  }

  static Map<String, Object> of(TcgEventLog log, Profile profile, LogAlg bank) {
    Map<String, Object> claims = new LinkedHashMap<>();
    Map<String, Object> secureBoot = new LinkedHashMap<>();
    List<String> applications = new ArrayList<>();
    String cmdline = null;
    for (TcgEventLog.Event event : log.events()) {
      byte[] digest = event.digests().get(bank.id);
      if (event.type() == EventTypes.EV_EFI_VARIABLE_DRIVER_CONFIG
          && profile.secureBoot.contains(event.index())
          && covers(bank, digest, event.data())) {
        variable(event.data()).ifPresent(variable -> secureBoot(variable, secureBoot));
      } else if (event.type() == EventTypes.EV_EFI_BOOT_SERVICES_APPLICATION
          && profile.applications.contains(event.index())) {
        applications.add(Hex.encode(digest));
      } else if (event.type() == EventTypes.EV_IPL) {
        Optional<String> line = Optional.empty();
        if (profile.grub.contains(event.index())) {
          line = grubCmdline(bank, digest, event.data());
        }
        if (line.isEmpty() && profile.stub.contains(event.index())) {
          line = stubCmdline(bank, digest, event.data());
        }
        if (line.isPresent()) {
          cmdline = line.get();
        }
      }
    }
    if (!secureBoot.isEmpty()) {
      claims.put("secure_boot", secureBoot);
    }
    Map<String, Object> boot = new LinkedHashMap<>();
    boot.put("digest_bank", bank.bank());
    if (!applications.isEmpty()) {
      boot.put("loader", applications.get(0));
      if (applications.size() > 1) {
        boot.put("kernel", applications.get(applications.size() - 1));
      }
      boot.put("applications", applications);
    }
    if (cmdline != null) {
      boot.put("cmdline", cmdline);
    }
    claims.put("boot", boot);
    return claims;
  }

  private static boolean covers(LogAlg bank, byte[] digest, byte[] data) {
    return Digests.constantTimeEquals(digest, Digests.digest(bank.jcaName, data));
  }

  /** UEFI_VARIABLE_DATA: VariableName GUID, UnicodeNameLength, VariableDataLength, name, data. */
  record Variable(byte[] guid, String name, byte[] data) {}

  static Optional<Variable> variable(byte[] data) {
    if (data.length < 32) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    byte[] guid = new byte[16];
    in.get(guid);
    long nameLength = in.getLong();
    long dataLength = in.getLong();
    if (nameLength < 0
        || dataLength < 0
        || nameLength > 1024
        || 2 * nameLength + dataLength != in.remaining()) {
      return Optional.empty();
    }
    byte[] name = new byte[(int) nameLength * 2];
    in.get(name);
    byte[] value = new byte[(int) dataLength];
    in.get(value);
    return Optional.of(new Variable(guid, new String(name, StandardCharsets.UTF_16LE), value));
  }

  private static void secureBoot(Variable variable, Map<String, Object> claims) {
    boolean global = Arrays.equals(variable.guid(), EFI_GLOBAL);
    boolean database = Arrays.equals(variable.guid(), IMAGE_SECURITY);
    String key =
        switch (variable.name()) {
          case "SecureBoot" -> global ? "enabled" : null;
          case "PK" -> global ? "pk" : null;
          case "KEK" -> global ? "kek" : null;
          case "db" -> database ? "db" : null;
          case "dbx" -> database ? "dbx" : null;
          default -> null;
        };
    if (key == null) {
      return;
    }
    if (key.equals("enabled")) {
      claims.put(key, variable.data().length == 1 && variable.data()[0] == 1);
    } else {
      claims.put(key, Hex.encode(Digests.sha256(variable.data())));
    }
  }

  /**
   * GRUB logs {@code kernel_cmdline: <line>\0} (or {@code grub_kernel_cmdline <line>}) and hashes
   * the line without the prefix and the terminating NUL.
   */
  private static Optional<String> grubCmdline(LogAlg bank, byte[] digest, byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    for (String prefix : GRUB_CMDLINE) {
      if (text.startsWith(prefix)) {
        byte[] line = Arrays.copyOfRange(data, prefix.length(), data.length);
        byte[] trimmed = withoutTrailingNuls(line);
        if (covers(bank, digest, trimmed)
            || covers(bank, digest, line)
            || covers(bank, digest, data)) {
          return Optional.of(new String(trimmed, StandardCharsets.UTF_8));
        }
      }
    }
    return Optional.empty();
  }

  /** systemd-stub logs and hashes the command line as UTF-16LE with its terminating NUL. */
  private static Optional<String> stubCmdline(LogAlg bank, byte[] digest, byte[] data) {
    if (data.length < 2 || data.length % 2 != 0 || !covers(bank, digest, data)) {
      return Optional.empty();
    }
    String line = new String(data, StandardCharsets.UTF_16LE);
    int end = line.indexOf('\0');
    String text = end < 0 ? line : line.substring(0, end);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n') {
        return Optional.empty();
      }
    }
    return Optional.of(text);
  }

  private static byte[] withoutTrailingNuls(byte[] bytes) {
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return Arrays.copyOf(bytes, end);
  }
}
