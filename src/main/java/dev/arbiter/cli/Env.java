// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.cli;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The environment the CLI reads ({@code ARBITER_*} variables). In-process tests replace it for one
 * call with {@link #with}; everything else reads {@link System#getenv}.
 */
final class Env {
  private static final ThreadLocal<Map<String, String>> OVERRIDE = new ThreadLocal<>();

  private Env() {}

  /** The variable's value, or null when unset or blank. */
  static String get(String name) {
    Map<String, String> override = OVERRIDE.get();
    String value = override != null ? override.get(name) : System.getenv(name);
    return value == null || value.isBlank() ? null : value;
  }

  /** The whole environment (for {@code ARBITER_CONFIG} and {@code XDG_CONFIG_HOME}). */
  static Map<String, String> all() {
    Map<String, String> override = OVERRIDE.get();
    return override != null ? override : System.getenv();
  }

  /** Runs {@code work} with {@code environment} instead of the process environment (tests). */
  static <T> T with(Map<String, String> environment, Supplier<T> work) {
    Map<String, String> previous = OVERRIDE.get();
    OVERRIDE.set(Map.copyOf(environment));
    try {
      return work.get();
    } finally {
      if (previous == null) {
        OVERRIDE.remove();
      } else {
        OVERRIDE.set(previous);
      }
    }
  }
}
