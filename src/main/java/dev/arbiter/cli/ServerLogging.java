// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** {@code serve}'s process concerns: JSON logs, its own log lines, SIGTERM/SIGINT. */
final class ServerLogging {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("arbiter.serve");

  private ServerLogging() {}

  /**
   * Switches every console appender to logback's {@link JsonEncoder} (one JSON object per line:
   * timestamp, level, logger, message, throwable).
   */
  static void useJson() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
          JsonEncoder encoder = new JsonEncoder();
          encoder.setContext(context);
          encoder.start();
          console.stop();
          console.setEncoder(encoder);
          console.start();
        }
      }
    }
    // serve's own lines ("listening on ...", "stopped") go through the log, at INFO
    context.getLogger("arbiter.serve").setLevel(Level.INFO);
  }

  /** Logs one of serve's own lines (shown at the default level only with JSON logs). */
  static void announce(String message) {
    LOG.info(message);
  }

  /** Runs {@code action} on SIGTERM and SIGINT instead of the JVM's default exit. */
  @SuppressWarnings("restriction")
  static void onTerminate(Runnable action) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
      } catch (IllegalArgumentException e) {
        // the signal is not available here: the shutdown hook still closes the server
      }
    }
  }
}
