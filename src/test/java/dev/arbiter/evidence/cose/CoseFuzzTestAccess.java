// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.cose;

import java.io.IOException;
import java.nio.file.Path;

/** Lets the other packages' corpus generators share the file writer. */
public final class CoseFuzzTestAccess {
  private CoseFuzzTestAccess() {}

  public static void write(Path dir, String name, byte[] bytes) throws IOException {
    CoseFuzzTest.write(dir, name, bytes);
  }
}
