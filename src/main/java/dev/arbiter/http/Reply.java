// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import java.util.Map;

/** A handler's answer: status, a JSON-serializable body (or raw bytes) and extra headers. */
public record Reply(int status, Object body, String contentType, Map<String, String> headers) {
  public static Reply ok(Object body) {
    return new Reply(200, body, "application/json", Map.of());
  }

  public static Reply created(Object body) {
    return new Reply(201, body, "application/json", Map.of());
  }

  public static Reply noContent() {
    return new Reply(204, null, null, Map.of());
  }

  public static Reply raw(int status, byte[] bytes, String contentType) {
    return new Reply(status, bytes, contentType, Map.of());
  }

  public Reply withHeader(String name, String value) {
    var copy = new java.util.LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, body, contentType, Map.copyOf(copy));
  }
}
