// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.keybroker;

import java.util.Objects;

/**
 * The capability to read one secret version's bytes. Only the release path of this package ({@link
 * KeyBroker}) creates grants, and only after every release check passed for that name and version;
 * the constructor is package-private so no other code can mint one. A grant for one secret does not
 * open another (see {@link SecretHandle#reveal}).
 */
public final class ReleaseGrant {
  private final String name;
  private final int version;

  ReleaseGrant(String name, int version) {
    this.name = Objects.requireNonNull(name, "name");
    this.version = version;
  }

  String name() {
    return name;
  }

  int version() {
    return version;
  }

  @Override
  public String toString() {
    return "ReleaseGrant[" + name + " v" + version + "]";
  }
}
