package org.cikqc.transform;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A small bounded cache of precomputed constants keyed by an immutable transform record (records compare by
 * value, so equal parameter sets share one entry). Cleared wholesale when it grows past {@link #MAX}, which
 * bounds memory for callers that create many distinct transforms.
 */
final class ParamCache<K, V> {
    static final int MAX = 4096;
    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
    private final Function<K, V> factory;

    ParamCache(Function<K, V> factory) { this.factory = factory; }

    V get(K key) {
        V v = map.get(key);
        if (v != null) return v;
        if (map.size() >= MAX) map.clear();
        return map.computeIfAbsent(key, factory);
    }
}
