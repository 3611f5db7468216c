// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.psa;

import com.upokecenter.cbor.CBORObject;
import dev.arbiter.evidence.cose.CborMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PSA / CCA platform software components (draft-tschofenig-rats-psa-token §4.4.1,
 * draft-ffm-rats-cca-token): each a map of measurement type (1), measurement value (2, required),
 * version (4), signer id (5) and measurement description (6, the hash algorithm). Also the security
 * lifecycle names shared by both tokens. Used by the PSA and CCA schemes.
 */
public final class SoftwareComponents {
  private static final Set<Integer> KEYS = Set.of(1, 2, 4, 5, 6);

  private SoftwareComponents() {}

  /** Parses the components array into claim maps (byte strings become hex in {@code Claims}). */
  public static List<Map<String, Object>> parse(List<CBORObject> components, String where) {
    List<Map<String, Object>> out = new ArrayList<>();
    int index = 0;
    for (CBORObject item : components) {
      CborMap component = CborMap.of(item, where + "[" + index++ + "]");
      component.rejectUnknown(KEYS);
      Map<String, Object> claims = new LinkedHashMap<>();
      component
          .optionalText(1, "measurement type", 256)
          .ifPresent(v -> claims.put("measurement_type", v));
      claims.put("measurement_value", component.bytes(2, "measurement value", 1, 64));
      component.optionalText(4, "version", 256).ifPresent(v -> claims.put("version", v));
      component.optionalBytes(5, "signer id", 1, 64).ifPresent(v -> claims.put("signer_id", v));
      component
          .optionalText(6, "measurement description", 64)
          .ifPresent(v -> claims.put("measurement_desc", v));
      out.add(claims);
    }
    return out;
  }

  /** The PSA security lifecycle state name of a lifecycle value (its major part, bits 8..15). */
  public static String lifecycleState(long value) {
    return switch ((int) ((value >> 8) & 0xff) & 0xf0) {
      case 0x00 -> "unknown";
      case 0x10 -> "assembly_and_test";
      case 0x20 -> "psa_rot_provisioning";
      case 0x30 -> "secured";
      case 0x40 -> "non_psa_rot_debug";
      case 0x50 -> "recoverable_psa_rot_debug";
      case 0x60 -> "decommissioned";
      default -> "invalid";
    };
  }
}
