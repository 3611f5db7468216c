// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.token;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AR4SI trustworthiness vector (draft-ietf-rats-ar4si): instance identity, configuration,
 * executables, file system, hardware, runtime opaque, storage opaque and sourced data. Absent
 * members are {@link #NO_CLAIM}. Build one with {@link #builder()} and the named code points
 * ({@link #AFFIRMING}: recognized / approved / genuine / encrypted; {@link #WARNING}: recognized
 * but with known vulnerabilities; {@link #CONTRAINDICATED}, {@link #NOT_RECOGNIZED}, {@link
 * #CRYPTO_VALIDATION_FAILED}) rather than positionally.
 */
public record TrustVector(
    int instanceIdentity,
    int configuration,
    int executables,
    int fileSystem,
    int hardware,
    int runtimeOpaque,
    int storageOpaque,
    int sourcedData) {

  /** No claim is made about this aspect. */
  public static final int NO_CLAIM = 0;

  /** The aspect is recognized and approved (e.g. genuine hardware, approved executables). */
  public static final int AFFIRMING = 2;

  /** Approved configuration with no known vulnerabilities (configuration only). */
  public static final int APPROVED_NO_KNOWN_VULNERABILITIES = 3;

  /** Recognized, but with known vulnerabilities or an out-of-date TCB. */
  public static final int WARNING = 32;

  /** Recognized and known to be compromised or unsafe. */
  public static final int CONTRAINDICATED = 96;

  /** Not recognized. */
  public static final int NOT_RECOGNIZED = 97;

  /** Cryptographic validation of the evidence failed. */
  public static final int CRYPTO_VALIDATION_FAILED = 99;

  public static final String[] NAMES = {
    "instance-identity",
    "configuration",
    "executables",
    "file-system",
    "hardware",
    "runtime-opaque",
    "storage-opaque",
    "sourced-data"
  };

  public TrustVector {
    for (int value :
        new int[] {
          instanceIdentity,
          configuration,
          executables,
          fileSystem,
          hardware,
          runtimeOpaque,
          storageOpaque,
          sourcedData
        }) {
      if (value < -128 || value > 127) {
        throw new IllegalArgumentException("trustworthiness claims are -128..127");
      }
    }
  }

  public int[] values() {
    return new int[] {
      instanceIdentity,
      configuration,
      executables,
      fileSystem,
      hardware,
      runtimeOpaque,
      storageOpaque,
      sourcedData
    };
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
    return new TrustVector(
        values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
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
    return new TrustVector(
        instanceIdentity,
        configuration,
        value,
        fileSystem,
        hardware,
        runtimeOpaque,
        storageOpaque,
        sourcedData);
  }

  public TrustVector withHardware(int value) {
    return new TrustVector(
        instanceIdentity,
        configuration,
        executables,
        fileSystem,
        value,
        runtimeOpaque,
        storageOpaque,
        sourcedData);
  }

  public TrustVector withConfiguration(int value) {
    return new TrustVector(
        instanceIdentity,
        value,
        executables,
        fileSystem,
        hardware,
        runtimeOpaque,
        storageOpaque,
        sourcedData);
  }

  /** A vector with no claims. */
  public static TrustVector none() {
    return new TrustVector(0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** A builder starting from no claims. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a vector claim by claim, by name. Not thread-safe. */
  public static final class Builder {
    private final int[] values = new int[8];

    private Builder() {}

    public Builder instanceIdentity(int value) {
      values[0] = value;
      return this;
    }

    public Builder configuration(int value) {
      values[1] = value;
      return this;
    }

    public Builder executables(int value) {
      values[2] = value;
      return this;
    }

    public Builder fileSystem(int value) {
      values[3] = value;
      return this;
    }

    public Builder hardware(int value) {
      values[4] = value;
      return this;
    }

    public Builder runtimeOpaque(int value) {
      values[5] = value;
      return this;
    }

    public Builder storageOpaque(int value) {
      values[6] = value;
      return this;
    }

    public Builder sourcedData(int value) {
      values[7] = value;
      return this;
    }

    public TrustVector build() {
      return new TrustVector(
          values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
    }
  }
}
