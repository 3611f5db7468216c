// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"arbiter " + (version == null ? "dev" : version)};
  }
}
