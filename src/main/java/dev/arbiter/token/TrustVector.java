// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AR4SI trustworthiness vector. Absent members are 0 ("no claim"). Common code points: 2
 * affirming (recognized / approved / genuine / encrypted), 3 approved config with no known vulns,
 * 32 warning (recognized but vulnerable), 96 contraindicated, 97 not recognized, 99 cryptographic
 * validation of evidence failed.
 */
public record TrustVector(
    int instanceIdentity, int configuration, int executables, int fileSystem, int hardware, int runtimeOpaque, int storageOpaque,
    int sourcedData) {

  public static final String[] NAMES = {
    "instance-identity", "configuration", "executables", "file-system", "hardware", "runtime-opaque", "storage-opaque", "sourced-data"
  };

  public TrustVector {
    for (int value : new int[] {instanceIdentity, configuration, executables, fileSystem, hardware, runtimeOpaque, storageOpaque, sourcedData}) {
      if (value < -128 || value > 127) {
        throw new IllegalArgumentException("trustworthiness claims are -128..127");
      }
    }
  }

  public int[] values() {
    return new int[] {instanceIdentity, configuration, executables, fileSystem, hardware, runtimeOpaque, storageOpaque, sourcedData};
  }

  /** The JSON form: only non-zero members. */
  public Map<String, Integer> toJson() {
    Map<String, Integer> out = new LinkedHashMap<>();
    int[] values = values();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0) {
        out.put(NAMES[i], values[i]);
      }
    }
    return out;
  }

  public static TrustVector fromJson(Map<String, ?> json) {
    int[] values = new int[8];
    for (int i = 0; i < NAMES.length; i++) {
      Object value = json.get(NAMES[i]);
      if (value instanceof Number number) {
        values[i] = number.intValue();
      }
    }
    return new TrustVector(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
  }

  /** The least trusting tier among the claims (NONE when every claim is "no claim"). */
  public EarStatus worstTier() {
    EarStatus worst = null;
    for (int value : values()) {
      if (value == 0) {
        continue;
      }
      EarStatus tier = EarStatus.tierOf(value);
      worst = worst == null ? tier : worst.worse(tier);
    }
    return worst == null ? EarStatus.NONE : worst;
  }

  public TrustVector withExecutables(int value) {
    return new TrustVector(instanceIdentity, configuration, value, fileSystem, hardware, runtimeOpaque, storageOpaque, sourcedData);
  }

  public TrustVector withHardware(int value) {
    return new TrustVector(instanceIdentity, configuration, executables, fileSystem, value, runtimeOpaque, storageOpaque, sourcedData);
  }

  public TrustVector withConfiguration(int value) {
    return new TrustVector(instanceIdentity, value, executables, fileSystem, hardware, runtimeOpaque, storageOpaque, sourcedData);
  }
}
