// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.server;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells Helidon that logging is configured (logback, with java.util.logging bridged to SLF4J by
 * {@code cli.Main}), so it does not print its own unstructured notice on stderr at start; {@code
 * serve --log-format json} keeps every line JSON. Registered in {@code META-INF/services}.
 */
public final class HelidonLogging implements LoggingProvider {
  @Override
  public void initialization() {
    // logback configures itself from logback.xml
  }

  @Override
  public void runTime() {
    // nothing to reconfigure at run time
  }
}
