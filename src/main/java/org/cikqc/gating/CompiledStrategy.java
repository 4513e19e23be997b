package org.cikqc.gating;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cikqc.common.Problem;
import org.cikqc.compensation.Compensator;
import org.cikqc.fcs.EventBatch;
import org.cikqc.transform.Transform;
import org.cikqc.transform.TransformTable;

/**
 * A {@link GatingStrategy} bound to one data set's channels, ready to evaluate event batches. Per block of events,
 * every compensation matrix in use is applied once, every distinct {@link Dimension} a gate reads is computed once
 * into a column, then the gates run over those columns in dependency order into per-population membership arrays.
 *
 * <p>Expensive transforms (logicle, hyperlog, fasinh) are evaluated through an interpolation table with a verified
 * error bound unless compiled with {@link GatingEngine.Options#EXACT}; every event whose membership could depend on
 * that error (an approximate value within the bound of a gate boundary) is re-evaluated with exact values, so
 * memberships and counts are always those of the exact transforms. {@link BatchResult#values} are within
 * {@link #valueTolerance(int)} of the exact values. Rectangle, range and quadrant bounds on such a dimension are
 * tested on its untransformed values against the bound's pre-image (exact re-evaluation inside a narrow band
 * around it), so a dimension that only such bounds use is not transformed at all unless its values are asked for.
 *
 * <p>Memberships are bit-packed (64 events per {@code long}, see {@link Bits}): kernels write whole words, so parent
 * ANDs, boolean gates and counting cost a few operations per 64 events. {@link BatchResult} unpacks a population
 * to a {@code boolean[]} only when asked for one.
 *
 * <p>Stateful and not thread-safe: it owns reusable scratch arrays (allocated when a larger batch first arrives,
 * never per event) and running counts. Use {@link #fork()} for another thread or another pass.
 */
public final class CompiledStrategy {

    /** How one dimension column is produced from the batch and the compensated columns. */
    record DimensionPlan(Dimension dimension, int matrix, int column, int matrix2, int column2,
                         RatioTransformation ratio, Transform transform, TransformTable table) {
        boolean direct() { return ratio == null && transform == null; }

        double tolerance() { return table == null ? 0 : table.tolerance(); }
    }

    /**
     * The kernel input column of dimension d's untransformed values, for a strategy of {@code dimensions} dimensions
     * (see {@code cols}). The compiler resolves every dimension before it builds any kernel.
     */
    static int rawColumn(int dimensions, int d) { return dimensions + d; }

    /** Events per gate-evaluation block (keeps the block's columns in cache); a multiple of 64 (see {@link Bits}). */
    private static final int BLOCK = 2048;

    private final GatingStrategy strategy;
    private final List<String> populationIds;
    private final Map<String, Integer> populationIndex;
    private final int[] parents;
    private final List<Dimension> dimensions;
    private final Map<Dimension, Integer> dimensionIndex;
    private final DimensionPlan[] plans;
    private final Compensator[] compensators;
    private final GateKernel[] kernels;
    private final Map<String, int[]> gateDimensions;
    private final List<Problem> problems;
    private final List<String> matrixNames;

    private final boolean approximate;

    private int capacity;
    /** Per population, its bit-packed membership of the batch. */
    private long[][] members;
    private double[][] scratch;
    private double[][] ratioScratch;
    /** Bit-packed: events to re-evaluate exactly. */
    private long[] flags;
    private int[] flagged;
    private double[][] miniColumns;
    private long[][] miniMembers;
    private int miniCapacity;
    private long rechecked;
    private double[][][] compensated;
    /** Kernel input columns: [0, D) dimension values, [D, 2D) untransformed (pre-transform) values. */
    private final double[][] cols;
    /** Dimensions whose values are computed with every block (all but tabulated ones only raw-tested bounds use). */
    private final boolean[] eager;
    private final boolean[] computed;
    private int batchSize;
    /** Kernel scratch for every event of the batch (re-checked events are never more). */
    private final Scratch kernelScratch = new Scratch();
    private final int[] batchCounts;
    private final long[] counts;
    private long events;
    private final BatchResult result;

    CompiledStrategy(GatingStrategy strategy, List<String> populationIds, int[] parents, List<Dimension> dimensions,
                     DimensionPlan[] plans, Compensator[] compensators, List<String> matrixNames, GateKernel[] kernels,
                     Map<String, int[]> gateDimensions, List<Problem> problems) {
        this.strategy = strategy;
        this.populationIds = List.copyOf(populationIds);
        Map<String, Integer> pi = new HashMap<>();
        for (int i = 0; i < populationIds.size(); i++) pi.put(populationIds.get(i), i);
        this.populationIndex = Collections.unmodifiableMap(pi);
        this.parents = parents.clone();
        this.dimensions = List.copyOf(dimensions);
        Map<Dimension, Integer> di = new HashMap<>();
        for (int i = 0; i < dimensions.size(); i++) di.put(dimensions.get(i), i);
        this.dimensionIndex = Collections.unmodifiableMap(di);
        this.plans = plans.clone();
        this.compensators = compensators.clone();
        this.matrixNames = List.copyOf(matrixNames);
        this.kernels = kernels.clone();
        this.gateDimensions = Collections.unmodifiableMap(new HashMap<>(gateDimensions));
        this.problems = List.copyOf(problems);
        this.cols = new double[2 * plans.length][];
        this.computed = new boolean[plans.length];
        boolean[] read = new boolean[plans.length];
        for (GateKernel k : kernels) k.needs(read);
        this.eager = new boolean[plans.length];
        for (int d = 0; d < plans.length; d++) eager[d] = plans[d].table() == null || read[d];
        this.batchCounts = new int[populationIds.size()];
        this.counts = new long[populationIds.size()];
        this.result = new BatchResult(this);
        this.members = new long[populationIds.size()][0];
        this.scratch = new double[plans.length][0];
        this.ratioScratch = new double[plans.length][0];
        this.compensated = new double[compensators.length][][];
        boolean approx = false;
        for (DimensionPlan p : plans) approx |= p.table() != null;
        this.approximate = approx;
        this.flags = new long[0];
        this.flagged = new int[0];
        this.miniColumns = new double[plans.length][0];
        this.miniMembers = new long[populationIds.size()][0];
    }

    /** A fresh instance with the same compiled plan, its own scratch arrays and zero counts. */
    public CompiledStrategy fork() {
        return new CompiledStrategy(strategy, populationIds, parents, dimensions, plans, compensators, matrixNames,
                kernels, gateDimensions, problems);
    }

    /** The strategy this was compiled from. */
    public GatingStrategy strategy() { return strategy; }

    /** Population ids (gate ids; quadrant ids for quadrant gates) in strategy order. */
    public List<String> populationIds() { return populationIds; }

    /** Index of a population id; throws for an unknown id. */
    public int populationIndex(String id) {
        Integer i = populationIndex.get(id);
        if (i == null) throw new IllegalArgumentException("unknown population '" + id + "'");
        return i;
    }

    /** The parent population index of population p, or -1 for a root population. */
    public int parentIndex(int p) { return parents[p]; }

    /** The distinct dimensions, each computed once per batch. */
    public List<Dimension> dimensions() { return dimensions; }

    /** Index of a dimension used by the strategy; throws for a dimension the strategy does not use. */
    public int dimensionIndex(Dimension d) {
        Integer i = dimensionIndex.get(d);
        if (i == null) throw new IllegalArgumentException("dimension not used by the strategy: " + d.label());
        return i;
    }

    /** Dimension indices of a gate's axes, in order (quadrant gates: their dividers; boolean gates: none). */
    public int[] gateDimensions(String gateId) {
        int[] d = gateDimensions.get(gateId);
        if (d == null) throw new IllegalArgumentException("unknown gate '" + gateId + "'");
        return d.clone();
    }

    /** Compensation matrices in use, by reference ({@code FCS} or a matrix id), in slot order. */
    public List<String> compensationRefs() { return matrixNames; }

    /** Problems recorded while compiling (e.g. a repaired spillover keyword). */
    public List<Problem> problems() { return problems; }

    /** Evaluates one batch of scale values (as delivered by {@code ValueKind.SCALE}); adds to the running counts. */
    public BatchResult evaluate(EventBatch scale) {
        return evaluate(scale.columns(), scale.size(), scale.firstEvent());
    }

    /**
     * Evaluates {@code n} events given as columns in data-set parameter order.
     *
     * <p>The batch is processed in blocks of {@value #BLOCK} events, each block going through compensation,
     * dimension values and every gate while it is in cache. A tabulated dimension that only rectangle, range and
     * quadrant bounds use is never transformed here: those bounds are tested on its untransformed values (see
     * {@link GateKernel.Rect}); its values are computed when {@link BatchResult#values} first asks for them.
     *
     * @param columns    one array per parameter, each of length ≥ n
     * @param n          number of events
     * @param firstEvent index of the first event (reported back in the result)
     */
    public BatchResult evaluate(double[][] columns, int n, long firstEvent) {
        ensureCapacity(n);
        int nd = plans.length;
        for (int d = 0; d < nd; d++) {
            DimensionPlan p = plans[d];
            double[] src = source(columns, p.matrix(), p.column());
            double[] pre = p.ratio() == null ? src : (p.table() != null ? ratioScratch[d] : scratch[d]);
            cols[d] = p.direct() ? src : scratch[d];
            cols[rawColumn(nd, d)] = pre;
            computed[d] = eager[d];
        }
        java.util.Arrays.fill(batchCounts, 0);
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            for (int m = 0; m < compensators.length; m++) compensators[m].apply(columns, from, to, compensated[m]);
            for (int d = 0; d < nd; d++) dimension(columns, d, from, to);
            gates(from, to);
            if (approximate) recheck(from, to);
            for (int p = 0; p < members.length; p++) batchCounts[p] += Bits.count(members[p], from, to);
        }
        for (int p = 0; p < members.length; p++) counts[p] += batchCounts[p];
        events += n;
        batchSize = n;
        result.set(n, firstEvent, members, batchCounts);
        return result;
    }

    /** Runs every gate kernel over events [from, to), flagging uncertain events when values are approximate. */
    private void gates(int from, int to) {
        long[] f = null;
        if (approximate) {
            f = flags;
            Bits.clear(f, from, to);
        }
        for (GateKernel k : kernels) k.run(cols, members, from, to, f, kernelScratch);
    }

    /** Computes dimension d for events [from, to): its ratio, then (unless deferred) its transformed values. */
    private void dimension(double[][] columns, int d, int from, int to) {
        DimensionPlan p = plans[d];
        if (p.direct()) return;
        double[] out = cols[d];
        double[] pre = cols[rawColumn(plans.length, d)];
        if (p.ratio() != null) {
            double[] num = source(columns, p.matrix(), p.column());
            double[] den = source(columns, p.matrix2(), p.column2());
            RatioTransformation r = p.ratio();
            for (int i = from; i < to; i++) pre[i] = r.apply(num[i], den[i]);
        }
        if (p.table() != null) {
            if (eager[d]) p.table().apply(pre, out, from, to);
        } else if (p.transform() != null) {
            Transform t = p.transform();
            for (int i = from; i < to; i++) out[i] = t.apply(pre[i]);
        }
    }

    /** Values of dimension d for the current batch, computing deferred (tabulated, unread) dimensions on demand. */
    double[] values(int d) {
        if (!computed[d]) {
            plans[d].table().apply(cols[rawColumn(plans.length, d)], cols[d], 0, batchSize);
            computed[d] = true;
        }
        return cols[d];
    }

    /** Re-evaluates the flagged events of [from, to) with exact transform values and patches their results. */
    private void recheck(int from, int to) {
        int k = 0;
        for (int w = from >>> 6, end = Bits.words(to); w < end; w++) {
            for (long bits = flags[w]; bits != 0; bits &= bits - 1) {
                flagged[k++] = (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        if (k == 0) return;
        if (k > miniCapacity) {
            int cap = Math.max(k, 64);
            miniColumns = new double[plans.length][cap];
            miniMembers = new long[populationIds.size()][Bits.words(cap)];
            miniCapacity = cap;
        }
        int nd = plans.length;
        for (int d = 0; d < nd; d++) {
            double[] mini = miniColumns[d];
            TransformTable t = plans[d].table();
            if (t != null) {
                Transform exact = t.exact();
                double[] pre = cols[rawColumn(nd, d)];
                for (int j = 0; j < k; j++) mini[j] = exact.apply(pre[flagged[j]]);
            } else {
                double[] col = cols[d];
                for (int j = 0; j < k; j++) mini[j] = col[flagged[j]];
            }
        }
        for (GateKernel kernel : kernels) kernel.run(miniColumns, miniMembers, 0, k, null, kernelScratch);
        for (int p = 0; p < members.length; p++) {
            long[] m = members[p];
            long[] mm = miniMembers[p];
            for (int j = 0; j < k; j++) Bits.put(m, flagged[j], Bits.get(mm, j));
        }
        for (int d = 0; d < nd; d++) {
            if (plans[d].table() == null || !eager[d]) continue;
            double[] col = cols[d];
            double[] mini = miniColumns[d];
            for (int j = 0; j < k; j++) col[flagged[j]] = mini[j];
        }
        rechecked += k;
    }

    /**
     * Maximum difference between {@link BatchResult#values(int)} of dimension d and its exact value (0 when the
     * dimension is computed exactly).
     */
    public double valueTolerance(int d) { return plans[d].tolerance(); }

    /** Events re-evaluated exactly because an approximate value lay within its tolerance of a gate boundary. */
    public long recheckedEvents() { return rechecked; }

    /**
     * Diagnostics for benchmarks: evaluates {@code n} events (as {@link #evaluate(double[][], int, long)} does, in
     * blocks), then times each stage again over the same blocks, {@code repeats} times, and returns ns/event per
     * stage in evaluation order: each compensation matrix, each computed dimension, each gate kernel (named by the
     * population(s) it writes), the exact re-evaluation and the counting. Running counts are left as they were.
     */
    public java.util.LinkedHashMap<String, Double> profile(double[][] columns, int n, int repeats) {
        long[] savedCounts = counts.clone();
        long savedEvents = events;
        long savedRechecked = rechecked;
        evaluate(columns, n, 0);
        java.util.LinkedHashMap<String, Double> out = new java.util.LinkedHashMap<>();
        int nd = plans.length;
        for (int m = 0; m < compensators.length; m++) {
            Compensator c = compensators[m];
            double[][] dst = compensated[m];
            out.put("compensation " + matrixNames.get(m) + " (" + c.detectorNames().length + "x"
                    + c.outputNames().length + ")", time(repeats, n, (from, to) -> c.apply(columns, from, to, dst)));
        }
        for (int d = 0; d < nd; d++) {
            DimensionPlan p = plans[d];
            if (p.direct() || !eager[d]) continue;
            int dim = d;
            out.put("dimension " + p.dimension().label(), time(repeats, n, (from, to) -> dimension(columns, dim, from, to)));
        }
        long[] f = approximate ? flags : null;
        for (GateKernel k : kernels) {
            StringBuilder name = new StringBuilder(k.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
            name.append(' ').append(populationIds.get(k.population));
            if (k instanceof GateKernel.Quad) name.append(" (all quadrants)");
            out.put(name.toString(), time(repeats, n, (from, to) -> {
                if (f != null) Bits.clear(f, from, to);
                k.run(cols, members, from, to, f, kernelScratch);
            }));
        }
        if (f != null) {
            long ns = 0;
            for (int r = 0; r < repeats; r++) {
                for (int from = 0; from < n; from += BLOCK) {
                    int to = Math.min(n, from + BLOCK);
                    gates(from, to);
                    long t0 = System.nanoTime();
                    recheck(from, to);
                    ns += System.nanoTime() - t0;
                }
            }
            out.put("exact re-evaluation", ns / ((double) repeats * n));
        }
        long[] sink = new long[1];
        out.put("counting " + members.length + " populations", time(repeats, n, (from, to) -> {
            for (long[] m : members) sink[0] += Bits.count(m, from, to);
        }));
        profileSink = sink[0];
        System.arraycopy(savedCounts, 0, counts, 0, counts.length);
        events = savedEvents;
        rechecked = savedRechecked;
        return out;
    }

    /** Keeps the timed counting loop observable. */
    private long profileSink;

    private interface Stage {
        void run(int from, int to);
    }

    private static double time(int repeats, int n, Stage stage) {
        long t0 = System.nanoTime();
        for (int r = 0; r < repeats; r++) {
            for (int from = 0; from < n; from += BLOCK) stage.run(from, Math.min(n, from + BLOCK));
        }
        return (System.nanoTime() - t0) / ((double) repeats * n);
    }

    private double[] source(double[][] columns, int matrix, int column) {
        return matrix < 0 ? columns[column] : compensated[matrix][column];
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) return;
        int cap = Math.max(n, 1024);
        members = new long[populationIds.size()][Bits.words(cap)];
        scratch = new double[plans.length][];
        for (int d = 0; d < plans.length; d++) {
            scratch[d] = plans[d].direct() ? new double[0] : new double[cap];
            ratioScratch[d] = plans[d].ratio() != null && plans[d].table() != null ? new double[cap] : new double[0];
        }
        flags = new long[approximate ? Bits.words(cap) : 0];
        kernelScratch.ensure(cap);
        flagged = new int[approximate ? cap : 0];
        for (int m = 0; m < compensators.length; m++) compensated[m] = new double[compensators[m].outputNames().length][cap];
        capacity = cap;
    }

    /** Counts so far (since compilation or the last {@link #resetCounts()}). */
    public PopulationCounts counts() {
        List<String> parentIds = new ArrayList<>(populationIds.size());
        for (int p = 0; p < populationIds.size(); p++) parentIds.add(parents[p] < 0 ? null : populationIds.get(parents[p]));
        return new PopulationCounts(events, populationIds, parentIds, counts);
    }

    /** Events evaluated so far. */
    public long events() { return events; }

    /** Zeroes the running counts. */
    public void resetCounts() {
        java.util.Arrays.fill(counts, 0);
        events = 0;
        rechecked = 0;
    }
}
