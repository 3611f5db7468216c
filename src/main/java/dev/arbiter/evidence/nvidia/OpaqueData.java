// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import dev.arbiter.internal.Hex;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * NVIDIA's opaque data in the MEASUREMENTS response: TLVs with a little-endian UINT16 type and
 * UINT16 length that must fill the field exactly. Known types become named claims (strings for the
 * NUL-terminated text fields, lowercase hex otherwise); unknown types are kept as {@code tlv_<n>}.
 */
record OpaqueData(Map<Integer, byte[]> fields) {
  static final int DRIVER_VERSION = 3;
  static final int VBIOS_VERSION = 6;
  static final int MSRSCNT = 12;
  static final int FWID = 20;
  static final int CHIP_INFO = 35;

  static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(1, "cert_issuer_name"),
          Map.entry(2, "cert_authority_key_identifier"),
          Map.entry(DRIVER_VERSION, "driver_version"),
          Map.entry(4, "gpu_info"),
          Map.entry(5, "sku"),
          Map.entry(VBIOS_VERSION, "vbios_version"),
          Map.entry(7, "manufacturer_id"),
          Map.entry(8, "tamper_detection"),
          Map.entry(9, "smc"),
          Map.entry(10, "vpr"),
          Map.entry(11, "nvdec0_status"),
          Map.entry(MSRSCNT, "measurement_count"),
          Map.entry(13, "cpr_info"),
          Map.entry(14, "board_id"),
          Map.entry(15, "chip_sku"),
          Map.entry(16, "chip_sku_mod"),
          Map.entry(17, "project"),
          Map.entry(18, "project_sku"),
          Map.entry(19, "project_sku_mod"),
          Map.entry(FWID, "fwid"),
          Map.entry(21, "protected_pcie_status"),
          Map.entry(22, "switch_pdi"),
          Map.entry(23, "floorswept_ports"),
          Map.entry(24, "position_id"),
          Map.entry(25, "lock_switch_status"),
          Map.entry(32, "gpu_link_conn"),
          Map.entry(33, "sys_enable_status"),
          Map.entry(34, "opaque_data_version"),
          Map.entry(CHIP_INFO, "chip_info"),
          Map.entry(36, "feature_flag"));
  private static final java.util.Set<Integer> TEXT =
      java.util.Set.of(DRIVER_VERSION, 5, 11, 15, 16, 17, 18, 21, CHIP_INFO);

  OpaqueData {
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  static OpaqueData parse(byte[] bytes) throws SpdmFormatException {
    SpdmReader reader = new SpdmReader(bytes);
    Map<Integer, byte[]> fields = new LinkedHashMap<>();
    while (reader.remaining() > 0) {
      int type = reader.u16("opaque.type");
      int length = reader.u16("opaque.length");
      if (fields.put(type, reader.bytes(length, "opaque value " + type)) != null) {
        throw new SpdmFormatException("opaque type " + type + " appears twice");
      }
    }
    return new OpaqueData(fields);
  }

  Optional<byte[]> get(int type) {
    return Optional.ofNullable(fields.get(type));
  }

  Optional<String> driverVersion() {
    return get(DRIVER_VERSION).map(OpaqueData::text);
  }

  /** The VBIOS version as NVIDIA prints it: bytes 3, 2, 1, 0 and 4, lowercase hex, dotted. */
  Optional<String> vbiosVersion() {
    return get(VBIOS_VERSION)
        .filter(v -> v.length >= 5)
        .map(v ->
            String.format(
                "%02x.%02x.%02x.%02x.%02x",
                v[3] & 0xff, v[2] & 0xff, v[1] & 0xff, v[0] & 0xff, v[4] & 0xff));
  }

  /** Every field as a claim value. */
  Map<String, Object> claims() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (var entry : fields.entrySet()) {
      int type = entry.getKey();
      String name = NAMES.getOrDefault(type, "tlv_" + type);
      Object value =
          switch (type) {
            case VBIOS_VERSION -> vbiosVersion().orElse(Hex.encode(entry.getValue()));
            case MSRSCNT -> counts(entry.getValue());
            default -> TEXT.contains(type) ? text(entry.getValue()) : Hex.encode(entry.getValue());
          };
      out.put(name, value);
    }
    return out;
  }

  private static Map<String, Object> counts(byte[] value) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i + 4 <= value.length; i += 4) {
      long count =
          (value[i] & 0xffL)
              | (value[i + 1] & 0xffL) << 8
              | (value[i + 2] & 0xffL) << 16
              | (value[i + 3] & 0xffL) << 24;
      out.put(Integer.toString(i / 4 + 1), count);
    }
    return out;
  }

  static String text(byte[] value) {
    int end = 0;
    while (end < value.length && value[end] != 0) {
      end++;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < end; i++) {
      char c = (char) (value[i] & 0xff);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
