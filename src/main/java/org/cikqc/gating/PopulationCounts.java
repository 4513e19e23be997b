package org.cikqc.gating;

import java.util.List;

/**
 * Event counts per population after some number of events, with the parent's count for percentages. A root
 * population's parent count is the number of events seen.
 */
public final class PopulationCounts {
    private final long events;
    private final List<String> populationIds;
    private final List<String> parentIds;
    private final long[] counts;

    PopulationCounts(long events, List<String> populationIds, List<String> parentIds, long[] counts) {
        this.events = events;
        this.populationIds = List.copyOf(populationIds);
        this.parentIds = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parentIds));
        this.counts = counts.clone();
    }

    /**
     * The sum of these counts and {@code other}'s (same strategy), e.g. of {@link CompiledStrategy#fork() forks}
     * that evaluated disjoint event ranges.
     */
    public PopulationCounts plus(PopulationCounts other) {
        if (!populationIds.equals(other.populationIds)) throw new IllegalArgumentException("different populations");
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) sum[i] += other.counts[i];
        return new PopulationCounts(events + other.events, populationIds, parentIds, sum);
    }

    /** Events evaluated. */
    public long events() { return events; }

    /** Population ids in strategy order. */
    public List<String> populationIds() { return populationIds; }

    /** Count of population i (index into {@link #populationIds()}). */
    public long count(int i) { return counts[i]; }

    /** Count of a population by id. */
    public long count(String id) { return counts[index(id)]; }

    /** The parent population id of population i, or null for a root population. */
    public String parentId(int i) { return parentIds.get(i); }

    /** The parent's count (the events seen for a root population). */
    public long parentCount(int i) {
        String p = parentIds.get(i);
        return p == null ? events : counts[index(p)];
    }

    /** 100 · count / parent count, or NaN when the parent count is 0. */
    public double percentOfParent(int i) {
        long pc = parentCount(i);
        return pc == 0 ? Double.NaN : 100.0 * counts[i] / pc;
    }

    /** {@link #percentOfParent(int)} by id. */
    public double percentOfParent(String id) { return percentOfParent(index(id)); }

    private int index(String id) {
        int i = populationIds.indexOf(id);
        if (i < 0) throw new IllegalArgumentException("unknown population " + id);
        return i;
    }
}
