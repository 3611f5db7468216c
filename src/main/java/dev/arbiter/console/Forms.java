// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.console;

import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.ProblemException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes {@code application/x-www-form-urlencoded} text (form bodies and query strings) strictly:
 * bounded values, no control characters other than line breaks and tabs, no repeated fields, empty
 * fields left out.
 */
public final class Forms {
  /** The longest value accepted. */
  public static final int MAX_VALUE = 2000;

  private Forms() {}

  /** The fields of {@code encoded} (a form body or the query part of a URI). */
  public static Map<String, String> parse(String encoded) {
    Map<String, String> out = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return out;
    }
    for (String pair : encoded.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      check(name, value);
      if (value.isEmpty()) {
        continue;
      }
      if (out.putIfAbsent(name, value) != null) {
        throw new ProblemException(CommonProblem.INVALID_FIELD, "field " + name + " is repeated");
      }
    }
    return out;
  }

  /** The query of a request URI ({@code /path?query}). */
  public static Map<String, String> query(String requestUri) {
    int question = requestUri.indexOf('?');
    return question < 0 ? Map.of() : parse(requestUri.substring(question + 1));
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(CommonProblem.INVALID_FIELD, "malformed form encoding");
    }
  }

  private static void check(String name, String value) {
    if (name.isEmpty() || name.length() > 64 || !name.matches("[a-z_]+")) {
      throw new ProblemException(CommonProblem.INVALID_FIELD, "unexpected form field name");
    }
    if (value.length() > MAX_VALUE) {
      throw new ProblemException(
          CommonProblem.INVALID_FIELD, name + " is longer than " + MAX_VALUE + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') || c == '\uFFFD') {
        throw new ProblemException(
            CommonProblem.INVALID_FIELD, name + " contains a control character or invalid UTF-8");
      }
    }
  }
}
