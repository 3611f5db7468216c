// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The console's only way to put data into HTML: {@link #esc} for text and attribute values (every
 * value from the database or the request goes through it), {@link #url} for path and query parts.
 */
public final class Html {
  private Html() {}

  /** Escapes text for an HTML text node or a double-quoted attribute value. */
  public static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Encodes one path segment or query value (then {@link #esc} it when it goes into HTML). */
  public static String url(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A human duration: {@code 2d 3h}, {@code 3h 12m}, {@code 4m 10s}. */
  public static String duration(long seconds) {
    if (seconds < 0) {
      return "overdue by " + duration(-seconds);
    }
    Duration d = Duration.ofSeconds(seconds);
    if (d.toDays() > 0) {
      return d.toDays() + "d " + d.toHoursPart() + "h";
    }
    if (d.toHours() > 0) {
      return d.toHours() + "h " + d.toMinutesPart() + "m";
    }
    if (d.toMinutes() > 0) {
      return d.toMinutes() + "m " + d.toSecondsPart() + "s";
    }
    return d.toSeconds() + "s";
  }

  /** A timestamp as a {@code <time>} element (UTC, seconds). */
  public static String time(String iso) {
    if (iso == null || iso.isEmpty()) {
      return "";
    }
    String shown = iso;
    try {
      shown = Instant.parse(iso).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
      shown = shown.replace('T', ' ').replace("Z", " UTC");
    } catch (java.time.DateTimeException e) {
      // shown as stored
    }
    return "<time datetime=\"" + esc(iso) + "\">" + esc(shown) + "</time>";
  }

  /** A percentage with one decimal. */
  public static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  /** The first 12 characters of a hash, the whole in a title. */
  public static String shortHash(String hash) {
    if (hash == null) {
      return "";
    }
    String shown = hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    return "<code title=\"" + esc(hash) + "\">" + esc(shown) + "</code>";
  }
}
