// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.evidence.sevsnp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small thread-safe LRU map for parsed certificates (values must be immutable). */
final class BoundedCache<K, V> {
  private final Map<K, V> map;

  BoundedCache(int maxEntries) {
    this.map = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > maxEntries;
      }
    });
  }

  /** The cached value, or {@code compute}'s result (cached unless it throws). */
  V get(K key, Function<K, V> compute) {
    V value = map.get(key);
    if (value == null) {
      value = compute.apply(key);
      map.put(key, value);
    }
    return value;
  }

  int size() {
    return map.size();
  }
}
