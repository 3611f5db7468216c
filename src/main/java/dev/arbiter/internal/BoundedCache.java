// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small thread-safe LRU map with a fixed capacity, for caches keyed by content hashes. Values
 * must be immutable.
 */
public final class BoundedCache<K, V> {
  private final Map<K, V> map;

  public BoundedCache(int capacity) {
    this.map =
        Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
              }
            });
  }

  public V get(K key) {
    return map.get(key);
  }

  public void put(K key, V value) {
    map.put(key, value);
  }

  /** Computes outside the lock (two racing callers may both compute; both results are equal). */
  public V computeIfAbsent(K key, Function<K, V> compute) {
    V value = map.get(key);
    if (value == null) {
      value = compute.apply(key);
      map.put(key, value);
    }
    return value;
  }

  public int size() {
    return map.size();
  }
}
