// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.eventlog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event types of the TCG PC Client Platform Firmware Profile (§10.4.1, "Event Types") with their
 * spec names, as used in the {@code events} summary claim.
 */
final class EventTypes {
  static final long EV_NO_ACTION = 0x3;
  static final long EV_SEPARATOR = 0x4;
  static final long EV_IPL = 0xD;
  static final long EV_EFI_VARIABLE_DRIVER_CONFIG = 0x80000001L;
  static final long EV_EFI_BOOT_SERVICES_APPLICATION = 0x80000003L;

  private static final Map<Long, String> NAMES = names();

  private EventTypes() {}

  private static Map<Long, String> names() {
    Map<Long, String> names = new LinkedHashMap<>();
    String[] low = {
      "EV_PREBOOT_CERT",
      "EV_POST_CODE",
      "EV_UNUSED",
      "EV_NO_ACTION",
      "EV_SEPARATOR",
      "EV_ACTION",
      "EV_EVENT_TAG",
      "EV_S_CRTM_CONTENTS",
      "EV_S_CRTM_VERSION",
      "EV_CPU_MICROCODE",
      "EV_PLATFORM_CONFIG_FLAGS",
      "EV_TABLE_OF_DEVICES",
      "EV_COMPACT_HASH",
      "EV_IPL",
      "EV_IPL_PARTITION_DATA",
      "EV_NONHOST_CODE",
      "EV_NONHOST_CONFIG",
      "EV_NONHOST_INFO",
      "EV_OMIT_BOOT_DEVICE_EVENTS",
      "EV_POST_CODE2"
    };
    for (int i = 0; i < low.length; i++) {
      names.put((long) i, low[i]);
    }
    String[] efi = {
      "EV_EFI_EVENT_BASE",
      "EV_EFI_VARIABLE_DRIVER_CONFIG",
      "EV_EFI_VARIABLE_BOOT",
      "EV_EFI_BOOT_SERVICES_APPLICATION",
      "EV_EFI_BOOT_SERVICES_DRIVER",
      "EV_EFI_RUNTIME_SERVICES_DRIVER",
      "EV_EFI_GPT_EVENT",
      "EV_EFI_ACTION",
      "EV_EFI_PLATFORM_FIRMWARE_BLOB",
      "EV_EFI_HANDOFF_TABLES",
      "EV_EFI_PLATFORM_FIRMWARE_BLOB2",
      "EV_EFI_HANDOFF_TABLES2",
      "EV_EFI_VARIABLE_BOOT2",
      "EV_EFI_GPT_EVENT2"
    };
    for (int i = 0; i < efi.length; i++) {
      names.put(0x80000000L + i, efi[i]);
    }
    names.put(0x80000010L, "EV_EFI_HCRTM_EVENT");
    names.put(0x800000E0L, "EV_EFI_VARIABLE_AUTHORITY");
    names.put(0x800000E1L, "EV_EFI_SPDM_FIRMWARE_BLOB");
    names.put(0x800000E2L, "EV_EFI_SPDM_FIRMWARE_CONFIG");
    return Map.copyOf(names);
  }

  /** The spec name, or {@code 0x%08x} for a type the profile does not define. */
  static String name(long type) {
    String name = NAMES.get(type);
    return name != null ? name : String.format("0x%08x", type);
  }

  /** Every defined name, sorted (for claim-name lists). */
  static List<String> all() {
    return NAMES.values().stream().sorted().toList();
  }
}
