// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.nvidia;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a report's measurements with a RIM: each active RIM index {@code i} must equal one of
 * its alternatives at SPDM block {@code i + 1}. The outcome is a claim ({@code rim_match.<kind>}),
 * not a problem: whether a mismatch is acceptable is for appraisal to decide.
 */
final class RimMatcher {
  private RimMatcher() {}

  static Map<String, Object> match(ReferenceManifest rim, SpdmReport report, String kind) {
    Map<Integer, byte[]> measured = new LinkedHashMap<>();
    for (MeasurementBlock block : report.blocks()) {
      measured.put(block.index(), block.value());
    }
    List<Long> matched = new ArrayList<>();
    List<Long> mismatched = new ArrayList<>();
    for (ReferenceManifest.Reference reference : rim.references()) {
      if (!reference.active()) {
        continue;
      }
      byte[] value = measured.get(reference.index() + 1);
      boolean ok = false;
      for (byte[] alternative : reference.values()) {
        ok |= value != null && dev.arbiter.crypto.Digests.constantTimeEquals(alternative, value);
      }
      (ok ? matched : mismatched).add((long) reference.index());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", kind);
    out.put("rim_id", rim.tagId());
    out.put("version", rim.version());
    out.put("signature", "valid");
    out.put("status", mismatched.isEmpty() ? "match" : "mismatch");
    out.put("matched_indices", matched);
    out.put("mismatched_indices", mismatched);
    return out;
  }
}
