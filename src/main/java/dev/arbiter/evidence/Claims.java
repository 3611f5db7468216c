// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Normalized claims: an immutable, ordered tree of strings (byte strings as lowercase hex), longs,
 * booleans, nested claim maps and lists. Nested claims are addressed with dots ({@code
 * reported_tcb.snp}).
 */
public record Claims(Map<String, Object> values) {
  public Claims {
    values = freezeMap(values);
  }

  public static Claims empty() {
    return new Claims(Map.of());
  }

  /** Looks up a dotted path; empty when any segment is missing. */
  public Optional<Object> get(String path) {
    Object current = values;
    for (String segment : path.split("\\.", -1)) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(segment)) {
        return Optional.empty();
      }
      current = map.get(segment);
    }
    return Optional.ofNullable(current);
  }

  /** Every leaf as a dotted path, in order (lists are leaves). */
  public Map<String, Object> flatten() {
    Map<String, Object> out = new LinkedHashMap<>();
    flatten("", values, out);
    return out;
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
    for (var entry : map.entrySet()) {
      String key = prefix + entry.getKey();
      if (entry.getValue() instanceof Map<?, ?> nested) {
        flatten(key + ".", nested, out);
      } else {
        out.put(key, entry.getValue());
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private static Map<String, Object> freezeMap(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (var entry : map.entrySet()) {
      copy.put(entry.getKey(), freeze(entry.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  @SuppressWarnings("unchecked")
  private static Object freeze(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Long) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof java.math.BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : big.toString();
    }
    if (value instanceof byte[] bytes) {
      return dev.arbiter.internal.Hex.encode(bytes);
    }
    if (value instanceof Map<?, ?> map) {
      return freezeMap((Map<String, Object>) map);
    }
    if (value instanceof Claims claims) {
      return claims.values();
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object item : list) {
        copy.add(freeze(item));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Double || value instanceof Float) {
      return ((Number) value).doubleValue();
    }
    throw new IllegalArgumentException("unsupported claim value type: " + value.getClass());
  }

  /** Ordered builder; byte arrays become lowercase hex. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    public Builder put(String name, Object value) {
      values.put(name, value);
      return this;
    }

    public Builder putAll(Map<String, Object> more) {
      values.putAll(more);
      return this;
    }

    public Claims build() {
      return new Claims(values);
    }
  }
}
