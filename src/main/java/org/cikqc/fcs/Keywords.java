package org.cikqc.fcs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keyword/value pairs of one TEXT segment (primary plus supplemental), kept verbatim and in file order.
 * Lookup is case-insensitive and ignores whitespace around the keyword; when a keyword occurs more than once the
 * first occurrence wins for lookup, and every occurrence stays in {@link #entries()}.
 */
public final class Keywords {

    /** One keyword as written in the file, its value and the byte offset of the keyword in the file (-1 if synthetic). */
    public record Entry(String key, String value, long offset) { }

    private final List<Entry> entries;
    private final Map<String, Entry> index;

    private Keywords(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        Map<String, Entry> idx = new LinkedHashMap<>();
        for (Entry e : this.entries) idx.putIfAbsent(normalize(e.key()), e);
        this.index = Collections.unmodifiableMap(idx);
    }

    public static Keywords of(List<Entry> entries) { return new Keywords(entries); }

    /** Builds keywords from a map (in its iteration order), for writers and tests. */
    public static Keywords ofMap(Map<String, String> map) {
        List<Entry> list = new ArrayList<>(map.size());
        map.forEach((k, v) -> list.add(new Entry(k, v, -1)));
        return new Keywords(list);
    }

    static String normalize(String key) { return key.strip().toUpperCase(Locale.ROOT); }

    public List<Entry> entries() { return entries; }

    public int size() { return entries.size(); }

    public boolean contains(String key) { return index.containsKey(normalize(key)); }

    /** The value of {@code key} (case-insensitive), or null. */
    public String get(String key) {
        Entry e = index.get(normalize(key));
        return e == null ? null : e.value();
    }

    /** The entry of {@code key} (case-insensitive), or null. */
    public Entry entry(String key) { return index.get(normalize(key)); }

    /** The value with surrounding whitespace removed, or null if absent or blank. */
    public String getTrimmed(String key) {
        String v = get(key);
        if (v == null) return null;
        v = v.strip();
        return v.isEmpty() ? null : v;
    }

    /** Keywords (normalised) that occur more than once, with how many times. */
    public Map<String, Integer> duplicates() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Entry e : entries) counts.merge(normalize(e.key()), 1, Integer::sum);
        counts.values().removeIf(c -> c < 2);
        return counts;
    }

    /** A new Keywords with {@code more} appended after these (used for supplemental TEXT). */
    public Keywords plus(List<Entry> more) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(more);
        return new Keywords(all);
    }

    /** Verbatim key → value in file order; for duplicated keys the first value is kept. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Entry e : entries) m.putIfAbsent(e.key(), e.value());
        return m;
    }
}
