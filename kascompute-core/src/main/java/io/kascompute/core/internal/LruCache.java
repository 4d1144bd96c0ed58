package io.kascompute.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A thread-safe map that keeps at most {@code capacity} entries, dropping the least recently used
 * one when a new one would exceed the bound. Meant for small caches of immutable values (decoded
 * keys, pinned keys) whose lookups are cheap next to the work they save.
 */
public final class LruCache<K, V> {
  private final int capacity;
  private final LinkedHashMap<K, V> map;

  /** A cache of at most {@code capacity} entries; 0 caches nothing. */
  public LruCache(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
    this.map = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > LruCache.this.capacity;
      }
    };
  }

  /** The value cached for {@code key}, or null. */
  public synchronized V get(K key) {
    return map.get(key);
  }

  /** Caches {@code value} under {@code key} (unless the capacity is 0) and returns it. */
  public synchronized V put(K key, V value) {
    Objects.requireNonNull(value, "value");
    if (capacity > 0) {
      map.put(key, value);
    }
    return value;
  }

  /**
   * The value cached for {@code key}, or the one {@code load} computes, which is then cached; the
   * computation runs outside the lock, so two threads may both compute it.
   */
  public V get(K key, Function<? super K, ? extends V> load) {
    V v = get(key);
    return v != null ? v : put(key, load.apply(key));
  }

  /** Drops the entry for {@code key}, if any. */
  public synchronized void remove(K key) {
    map.remove(key);
  }

  /** Drops every entry. */
  public synchronized void clear() {
    map.clear();
  }

  /** The number of entries cached. */
  public synchronized int size() {
    return map.size();
  }

  /** The most entries kept. */
  public int capacity() {
    return capacity;
  }
}
