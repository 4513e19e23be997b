package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counting (or other calibration) beads in a cell sample: single-platform absolute counts add Trucount- or
 * Flow-Count-style beads to the tube, and they reach the cell gates unless something removes them. They are
 * fluorescent in most channels, so a bead that passes the scatter gate is a CD45+ "dead" cell (bright in the
 * viability dye) or, where the dye channel misses it, a viable CD3+CD56+ one.
 *
 * <p>What tells beads from cells is how tight they are: identical particles with coefficients of variation of
 * 2–6 % in scatter and fluorescence, where a cell population spreads over 20–40 % and more in fluorescence. A
 * bead cluster is a set of events that is tight (robust SD ≤ {@link Options#maxSdDecades} decades, about a 9 %
 * CV; scatter 1.5 times that) at once in forward scatter, side scatter and at least
 * {@link Options#minFluorescence} fluorescence channels in which it is clearly positive. The spread is measured
 * within {@value #SEGMENTS} stretches of the run, so that a drift of the signal over the run does not hide them.
 * Channels in which the beads are not fluorescent (their values scatter around zero, or pile up at the bottom of a
 * log scale) or saturated neither count nor constrain; events all of one value are not beads.
 *
 * <p>Seeds are spikes in single fluorescence channels, the densest and highest-contrast cells of a grid over log10
 * of every channel and the densest of a finer one over scatter alone; each is grown to the events within
 * {@link Options#gatherDecades} of its centre (first its densest window, then its median) in its positive
 * channels, twice, and tested; cells give up after the first growth, on a subsample. A cluster found predicts its
 * singlets at half and its doublets at twice its signal, which need only one tight fluorescence channel there; a
 * cluster at twice another's scatter counts two beads per event. Each cluster becomes a box of
 * ± max({@link Options#boxDecades}, 5 SD) around where it lay in each stretch, in scatter and the fluorescence
 * channels it is tight in; up to {@link Options#maxClusters} clusters.
 */
public final class CountingBeads {
    private CountingBeads() { }

    /**
     * @param gridDecades     the seed grid's cell width in log10 units
     * @param gatherDecades   half-width, in log10 units, of the box a seed grows to
     * @param boxDecades      least half-width of a bead cluster's gate box, in log10 units
     * @param maxSdDecades    largest robust SD (log10 units) of a bead cluster in each of its positive channels
     * @param minFluorescence fewest fluorescence channels in which a bead cluster must be positive and tight
     * @param minEvents       fewest events of a bead cluster (in the fitting sample)
     * @param maxClusters     most bead clusters looked for
     * @param seeds           seed cells tried per cluster
     * @param maxEvents       most events searched (an even subsample of the rest; the boxes apply to all)
     */
    public record Options(double gridDecades, double gatherDecades, double boxDecades, double maxSdDecades,
                          int minFluorescence, int minEvents, int maxClusters, int seeds, int maxEvents) {
        public static Options defaults() {
            return new Options(0.2, 0.15, 0.12, 0.04, 2, 25, 3, 24, 50_000);
        }
    }

    /**
     * One channel: its name, uncompensated scale values of every event, whether it is a scatter channel and the
     * top of its scale (NaN when unknown).
     */
    public record Channel(String name, double[] values, boolean scatter, double top) { }

    /**
     * A bead cluster.
     *
     * @param events   events of the fitting sample in its box
     * @param median   median per channel (scale value; NaN for a channel in which the beads are not positive)
     * @param sd       robust SD per positive channel in log10 units (NaN elsewhere)
     * @param low      box lower bound per channel (−∞ where unconstrained)
     * @param high     box upper bound per channel (+∞ where unconstrained)
     * @param beadsPerEvent 2 for bead doublets (twice another cluster's scatter), else 1
     */
    public record Cluster(int events, double[] median, double[] sd, double[] low, double[] high, int beadsPerEvent) {
        /** Whether the box constrains channel {@code c} (the beads are positive and tight in it). */
        public boolean constrains(int c) { return Double.isFinite(low[c]); }

        /** Whether the event with these values (per channel) lies in the box: low ≤ v &lt; high. */
        public boolean contains(double[] values) {
            for (int c = 0; c < low.length; c++) {
                if (!constrains(c)) continue;
                if (!(values[c] >= low[c] && values[c] < high[c])) return false;
            }
            return true;
        }
    }

    /**
     * @param channels   the channels searched, in the order of each cluster's arrays
     * @param clusters   bead clusters found, largest first (empty: none)
     * @param eventsUsed events searched
     * @param issues     diagnostics (INFO)
     */
    public record Result(List<String> channels, List<Cluster> clusters, int eventsUsed, List<FitIssue> issues) {
        public boolean found() { return !clusters.isEmpty(); }

        /** Events of the fitting sample in any bead box. */
        public int events() {
            int s = 0;
            for (Cluster c : clusters) s += c.events();
            return s;
        }
    }

    /**
     * Looks for bead clusters among the events with {@code keep[e]} (all when null).
     *
     * @param channels scatter and fluorescence channels, each with a value per event
     */
    public static Result fit(List<Channel> channels, boolean[] keep, Options o) {
        int d = channels.size();
        int n = d == 0 ? 0 : channels.get(0).values().length;
        boolean scatter = false;
        int fluorescence = 0;
        for (Channel c : channels) {
            if (c.scatter()) scatter = true;
            else fluorescence++;
        }
        List<FitIssue> issues = new ArrayList<>();
        if (!scatter || fluorescence < o.minFluorescence()) {
            issues.add(FitIssue.info(FitIssue.Code.DEGENERATE_DATA, "not looked for: beads are told from cells in"
                    + " scatter and at least " + o.minFluorescence() + " fluorescence channels"));
            return new Result(names(channels), List.of(), 0, issues);
        }
        // candidate events: kept, finite and positive on every scatter channel
        int[] idx = new int[n];
        int m = 0;
        for (int e = 0; e < n; e++) {
            if (keep != null && !keep[e]) continue;
            boolean ok = true;
            for (Channel c : channels) {
                double v = c.values()[e];
                if (!Double.isFinite(v) || c.scatter() && v <= 0) { ok = false; break; }
            }
            if (ok) idx[m++] = e;
        }
        idx = Arrays.copyOf(idx, m);
        if (m > o.maxEvents()) {
            // an even, deterministic subsample (a spec may sample millions of events): beads at 0.05 % of them still
            // give the least cluster
            int[] thin = new int[o.maxEvents()];
            for (int i = 0; i < thin.length; i++) thin[i] = idx[(int) ((long) i * m / thin.length)];
            idx = thin;
            m = thin.length;
        }
        // log10 of every value, floored six decades below the top of the scale (or of the largest value)
        double[][] y = new double[d][m];
        double[] floor = new double[d];
        for (int c = 0; c < d; c++) {
            double[] v = channels.get(c).values();
            double top = channels.get(c).top();
            if (!(top > 0) || !Double.isFinite(top)) {
                top = 0;
                for (int j = 0; j < m; j++) top = Math.max(top, v[idx[j]]);
            }
            floor[c] = top > 0 ? Math.log10(top) - 6 : 0;
            for (int j = 0; j < m; j++) {
                double x = v[idx[j]];
                y[c][j] = x > 0 ? Math.max(floor[c], Math.log10(x)) : floor[c];
            }
        }
        boolean[] taken = new boolean[m];
        List<Cluster> clusters = new ArrayList<>();
        while (clusters.size() < o.maxClusters()) {
            Cluster found = null;
            List<double[]> rejected = new ArrayList<>();
            for (int[] seed : seeds(channels, y, taken, o)) {
                found = grow(channels, idx, y, floor, taken, seed, rejected, o);
                if (found != null) break;
            }
            if (found == null) break;
            clusters.add(found);
            take(channels, idx, taken, found);
        }
        companions(channels, idx, y, floor, taken, clusters, o);
        List<Cluster> counted = doublets(channels, clusters);
        for (Cluster c : counted) issues.add(FitIssue.info(FitIssue.Code.BEADS, describe(c, channels, m)));
        clusters = counted;
        return new Result(names(channels), List.copyOf(clusters), m, issues);
    }

    /** log10 2: bead doublets sit there above the singlets in scatter and fluorescence (areas add). */
    private static final double LOG2 = Math.log10(2);
    /** How far (log10 units) a companion may lie from where it is predicted in FSC-A and SSC-A. */
    private static final double COMPANION_TOLERANCE = 0.08;

    /**
     * Looks for the companions of each cluster found: its singlets at half its signal (when what was found are
     * doublets, whose twice-as-bright signal made more channels positive) and its doublets at twice it. Where one
     * is predicted, tightness in scatter and one fluorescence channel is enough. Adds what it finds to
     * {@code clusters} (at most {@link Options#maxClusters} in all).
     */
    private static void companions(List<Channel> channels, int[] idx, double[][] y, double[] floor, boolean[] taken,
                                   List<Cluster> clusters, Options o) {
        int d = channels.size();
        Options relaxed = new Options(o.gridDecades(), o.gatherDecades(), o.boxDecades(), o.maxSdDecades(), 1,
                o.minEvents(), o.maxClusters(), o.seeds(), o.maxEvents());
        boolean[] scatter = new boolean[d];
        for (int c = 0; c < d; c++) scatter[c] = channels.get(c).scatter();
        for (Cluster a : List.copyOf(clusters)) {
            for (double shift : new double[] {-LOG2, LOG2}) {
                if (clusters.size() >= o.maxClusters()) return;
                double[] at = new double[d];
                boolean known = false;
                for (int c = 0; c < d; c++) at[c] = a.constrains(c) ? Math.log10(a.median()[c]) + shift : Double.NaN;
                for (Cluster b : clusters) if (sameScatter(channels, b, at)) known = true;
                if (known) continue;
                // the events where the companion would be in scatter
                int[] seed = gather(y, taken, scatter, at, COMPANION_TOLERANCE, 1);
                if (seed.length < o.minEvents()) continue;
                Cluster b = grow(channels, idx, y, floor, taken, seed, new ArrayList<>(), relaxed);
                if (b == null || !sameScatter(channels, b, at)) continue;
                clusters.add(b);
                take(channels, idx, taken, b);
            }
        }
    }

    /** Marks the searched events in cluster {@code c}'s box as taken. */
    private static void take(List<Channel> channels, int[] idx, boolean[] taken, Cluster c) {
        inBox(channels, idx, taken, c, true);
    }

    /** The searched events not yet taken that lie in cluster {@code c}'s box; marked taken when {@code mark}. */
    private static int inBox(List<Channel> channels, int[] idx, boolean[] taken, Cluster c, boolean mark) {
        double[] row = new double[channels.size()];
        int in = 0;
        for (int j = 0; j < idx.length; j++) {
            if (taken[j]) continue;
            for (int k = 0; k < row.length; k++) row[k] = channels.get(k).values()[idx[j]];
            if (!c.contains(row)) continue;
            in++;
            if (mark) taken[j] = true;
        }
        return in;
    }

    /** Whether cluster {@code b} lies at {@code at} (log10) in every scatter channel, within the tolerance. */
    private static boolean sameScatter(List<Channel> channels, Cluster b, double[] at) {
        for (int c = 0; c < channels.size(); c++) {
            if (!channels.get(c).scatter()) continue;
            if (!b.constrains(c) || !Double.isFinite(at[c])) return false;
            if (Math.abs(Math.log10(b.median()[c]) - at[c]) > COMPANION_TOLERANCE) return false;
        }
        return true;
    }

    /** The clusters, those at twice another's scatter marked as doublets (two beads per event). */
    private static List<Cluster> doublets(List<Channel> channels, List<Cluster> clusters) {
        List<Cluster> out = new ArrayList<>();
        for (Cluster b : clusters) {
            boolean doublet = false;
            for (Cluster a : clusters) {
                if (a == b) continue;
                double[] at = new double[b.median().length];
                for (int c = 0; c < at.length; c++) at[c] = a.constrains(c) ? Math.log10(a.median()[c]) + LOG2 : Double.NaN;
                if (sameScatter(channels, b, at)) doublet = true;
            }
            out.add(doublet ? new Cluster(b.events(), b.median(), b.sd(), b.low(), b.high(), 2) : b);
        }
        return out;
    }

    /** One line on a cluster: its size and where it is. */
    public static String describe(Cluster c, List<Channel> channels, int of) {
        StringBuilder where = new StringBuilder();
        double maxCv = 0;
        int tight = 0;
        for (int k = 0; k < channels.size(); k++) {
            if (!c.constrains(k)) continue;
            if (where.length() > 0) where.append(", ");
            where.append(channels.get(k).name()).append(' ').append(Stats.fmt(c.median()[k]));
            maxCv = Math.max(maxCv, Math.pow(10, c.sd()[k]) - 1);
            tight++;
        }
        return String.format(Locale.ROOT, "%,d events (%.2f %% of %,d) in a cluster of identical particles%s, tight in"
                + " %d channels (robust CV ≤ %.1f %%; cells spread over 20 %% and more): %s", c.events(),
                of == 0 ? 0 : 100.0 * c.events() / of, of, c.beadsPerEvent() == 2 ? " (bead doublets: twice another"
                + " cluster's scatter)" : "", tight, 100 * maxCv, where);
    }

    /**
     * Seed cells, as member lists: first the events of spikes in single fluorescence channels ({@link #spikes}),
     * then, largest first, the densest and the highest-contrast cells of a grid over every channel and the densest
     * of a finer grid over the scatter channels alone ({@link Options#seeds} / 3 of each). Beads are one point in
     * every channel they are fluorescent in, but the channels they are not fluorescent in scatter them over
     * several cells of the full grid; in scatter alone they are one sharp peak, which cells may hide.
     */
    private static List<int[]> seeds(List<Channel> channels, double[][] y, boolean[] taken, Options o) {
        int d = y.length;
        boolean[] all = new boolean[d];
        boolean[] scatter = new boolean[d];
        for (int c = 0; c < d; c++) {
            all[c] = true;
            scatter[c] = channels.get(c).scatter();
        }
        List<int[]> a = densest(y, taken, all, o.gridDecades(), o.seeds() / 3, true, o);
        List<int[]> b = densest(y, taken, scatter, o.gridDecades() / 4, o.seeds() / 3, false, o);
        List<int[]> out = new ArrayList<>(spikes(channels, y, taken, o));
        int i = 0;
        int k = 0;
        while (i < a.size() || k < b.size()) {
            if (k >= b.size() || i < a.size() && a.get(i).length >= b.get(k).length) out.add(a.get(i++));
            else out.add(b.get(k++));
        }
        return out;
    }

    /** Histogram bin of the spike search, log10 units. */
    private static final double SPIKE_BIN = 0.01;

    /**
     * Seeds from spikes: in each fluorescence channel, the narrow peaks (up to 3) that stand well above the events
     * around them (±0.035 decades against the stretches 0.08–0.15 decades either side: at least 2.5 times as
     * many as those stretches predict, and {@link Options#minEvents} more). A small bead population inside the
     * cells' scatter cloud is found where it is brighter or dimmer than the cells in a channel. Each seed is the
     * events of one spike, strongest first.
     */
    private static List<int[]> spikes(List<Channel> channels, double[][] y, boolean[] taken, Options o) {
        int d = y.length;
        int m = d == 0 ? 0 : y[0].length;
        List<double[]> found = new ArrayList<>(); // {channel, centre, excess}
        for (int c = 0; c < d; c++) {
            if (channels.get(c).scatter()) continue;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                if (taken[j]) continue;
                lo = Math.min(lo, y[c][j]);
                hi = Math.max(hi, y[c][j]);
            }
            if (!(hi > lo)) continue;
            int nb = (int) Math.min(2000, Math.ceil((hi - lo) / SPIKE_BIN) + 1);
            double w = (hi - lo) / (nb - 1);
            int[] h = new int[nb];
            for (int j = 0; j < m; j++) if (!taken[j]) h[(int) Math.round((y[c][j] - lo) / w)]++;
            long[] cum = new long[nb + 1];
            for (int b = 0; b < nb; b++) cum[b + 1] = cum[b] + h[b];
            double[] excess = new double[nb];
            for (int b = 1; b < nb; b++) { // bin 0 holds the floor's pile-up
                double inner = sum(cum, b - 3, b + 3);
                double expected = (sum(cum, b - 15, b - 8) + sum(cum, b + 8, b + 15)) * 7.0 / 16.0;
                double x = inner - expected;
                excess[b] = inner >= 2.5 * expected && x >= o.minEvents() ? x : 0;
            }
            List<double[]> here = new ArrayList<>();
            for (int b = 1; b < nb; b++) {
                if (excess[b] <= 0) continue;
                boolean peak = true;
                for (int k = Math.max(1, b - 8); k <= Math.min(nb - 1, b + 8) && peak; k++) {
                    if (excess[k] > excess[b] || excess[k] == excess[b] && k < b) peak = false;
                }
                if (peak) here.add(new double[] {c, lo + b * w, excess[b]});
            }
            here.sort((p, q) -> Double.compare(q[2], p[2]));
            found.addAll(here.subList(0, Math.min(3, here.size())));
        }
        found.sort((p, q) -> p[2] != q[2] ? Double.compare(q[2], p[2]) : Double.compare(p[0], q[0]));
        List<int[]> out = new ArrayList<>();
        for (double[] f : found) {
            int c = (int) f[0];
            int[] members = new int[m];
            int k = 0;
            for (int j = 0; j < m; j++) if (!taken[j] && Math.abs(y[c][j] - f[1]) <= 0.035) members[k++] = j;
            if (k >= Math.max(5, o.minEvents() / 5)) out.add(Arrays.copyOf(members, k));
        }
        return out;
    }

    /** Events in histogram bins {@code from}..{@code to} (clipped) from cumulative counts. */
    private static double sum(long[] cum, int from, int to) {
        int a = Math.max(0, from);
        int b = Math.min(cum.length - 2, to);
        return b < a ? 0 : cum[b + 1] - cum[a];
    }

    /**
     * Seed cells of a grid (cell width {@code width}) over channels {@code use}: the {@code count} densest, and,
     * when {@code contrast}, as many more of the highest contrast (events over the mean of the 2·D face neighbours,
     * plus one), which finds a small cluster standing alone beside dense populations.
     */
    private static List<int[]> densest(double[][] y, boolean[] taken, boolean[] use, double width, int count,
                                       boolean contrast, Options o) {
        int d = y.length;
        int m = d == 0 ? 0 : y[0].length;
        Map<Long, int[]> cells = new HashMap<>();
        Map<Long, long[]> coordinates = new HashMap<>();
        long[] key = new long[m];
        long[] at = new long[d];
        for (int j = 0; j < m; j++) {
            if (taken[j]) continue;
            for (int c = 0; c < d; c++) at[c] = use[c] ? (long) Math.floor(y[c][j] / width) : 0;
            long h = hash(at);
            key[j] = h;
            int[] n = cells.get(h);
            if (n == null) {
                cells.put(h, new int[] {1});
                coordinates.put(h, at.clone());
            } else {
                n[0]++;
            }
        }
        int least = Math.max(5, o.minEvents() / 5);
        List<Long> byCount = new ArrayList<>();
        Map<Long, Double> score = new HashMap<>();
        for (Map.Entry<Long, int[]> e : cells.entrySet()) {
            if (e.getValue()[0] < least) continue;
            byCount.add(e.getKey());
            if (!contrast) continue;
            long[] x = coordinates.get(e.getKey()).clone();
            double around = 0;
            int faces = 0;
            for (int c = 0; c < d; c++) {
                if (!use[c]) continue;
                for (int step = -1; step <= 1; step += 2) {
                    x[c] += step;
                    int[] n = cells.get(hash(x));
                    around += n == null ? 0 : n[0];
                    x[c] -= step;
                    faces++;
                }
            }
            score.put(e.getKey(), e.getValue()[0] / (1 + around / Math.max(1, faces)));
        }
        byCount.sort((p, q) -> cells.get(p)[0] != cells.get(q)[0] ? Integer.compare(cells.get(q)[0], cells.get(p)[0])
                : Long.compare(p, q));
        List<Long> chosen = new ArrayList<>(byCount.subList(0, Math.min(count, byCount.size())));
        if (contrast) {
            List<Long> byContrast = new ArrayList<>(byCount);
            byContrast.sort((p, q) -> !score.get(p).equals(score.get(q)) ? Double.compare(score.get(q), score.get(p))
                    : Long.compare(p, q));
            int added = 0;
            for (Long k : byContrast) {
                if (added >= count) break;
                if (chosen.contains(k)) continue;
                chosen.add(k);
                added++;
            }
        }
        List<int[]> out = new ArrayList<>();
        for (Long cell : chosen) {
            int[] members = new int[cells.get(cell)[0]];
            int k = 0;
            for (int j = 0; j < m && k < members.length; j++) {
                if (!taken[j] && key[j] == cell) members[k++] = j;
            }
            out.add(members);
        }
        return out;
    }

    private static long hash(long[] at) {
        long h = 1125899906842597L;
        for (long a : at) h = 31 * h + a;
        return h;
    }

    /** The median of the densest window of width {@code width} of sorted values {@code v}. */
    private static double mode(double[] v, double width) {
        int best = 0;
        int bestLo = 0;
        int lo = 0;
        for (int hi = 0; hi < v.length; hi++) {
            while (v[hi] - v[lo] > width) lo++;
            if (hi - lo + 1 > best) {
                best = hi - lo + 1;
                bestLo = lo;
            }
        }
        return v.length == 0 ? Double.NaN : v[bestLo + best / 2];
    }

    /** Grows a seed into a cluster and tests it; null when it is not a bead cluster. */
    private static Cluster grow(List<Channel> channels, int[] idx, double[][] y, double[] floor, boolean[] taken,
                                int[] seed, List<double[]> rejected, Options o) {
        int d = y.length;
        int m = idx.length;
        double[] center = new double[d];
        boolean[] positive = new boolean[d];
        int[] members = seed;
        double[] start = null; // the round-0 centre, then the positive flags (1/0), for {@link #near}
        for (int round = 0; round < 3; round++) {
            int looseScatter = 0;
            int nearlyTight = 0;
            for (int c = 0; c < d; c++) {
                // the early rounds, which decide most seeds (cells), on a smaller subsample
                double[] v = values(y[c], members, round < 2 ? EARLY_STATISTICS : MAX_STATISTICS);
                Arrays.sort(v);
                // first the densest window (a seed from the scatter grid may hold several bead kinds), then the median
                center[c] = round == 0 ? mode(v, o.gatherDecades()) : Stats.quantileSorted(v, 0.5);
                // positive: the bulk of the members is clearly above zero (a decade below the median at most)
                positive[c] = center[c] > floor[c] + 1 && Stats.quantileSorted(v, 0.05) > center[c] - 1;
                if (round == 0) continue;
                // cells give up early: a grown seed twice as wide as beads may be, in scatter or fluorescence
                boolean scatter = channels.get(c).scatter();
                double s = positive[c] ? Stats.MAD_TO_SD * Stats.mad(v, center[c]) : Double.NaN;
                boolean near = s <= 2 * o.maxSdDecades() * (scatter ? 1.5 : 1);
                if (scatter && !near) looseScatter++;
                if (!scatter && near) nearlyTight++;
            }
            if (round == 0 && near(rejected, center, positive, o.gatherDecades() / 2)) return null;
            if (round == 0) {
                start = new double[2 * d];
                for (int c = 0; c < d; c++) {
                    start[c] = center[c];
                    start[d + c] = positive[c] ? 1 : 0;
                }
            } else if (looseScatter > 0 || nearlyTight < o.minFluorescence()) {
                // cells: a later seed that starts where this one did (the same population) is not grown again
                if (round == 1) rejected.add(start);
                return null;
            }
            // the first two growths, which decide most seeds (cells), on every stride-th event; the last on all
            int stride = round < 2 ? Math.max(1, m / FIRST_GROWTH_EVENTS) : 1;
            members = gather(y, taken, positive, center, o.gatherDecades(), stride);
            if ((long) members.length * stride < o.minEvents()) return null;
        }
        double[] median = new double[d];
        double[] sd = new double[d];
        double[] low = new double[d];
        double[] high = new double[d];
        int tightFluorescence = 0;
        boolean scatterTight = true;
        int segments = (int) Math.max(1, Math.min(SEGMENTS, members.length / Math.max(1, o.minEvents())));
        for (int c = 0; c < d; c++) {
            Channel ch = channels.get(c);
            double[] v = values(y[c], members);
            Arrays.sort(v);
            double med = Stats.quantileSorted(v, 0.5);
            boolean atTop = Double.isFinite(ch.top()) && ch.top() > 0 && med >= Math.log10(ch.top()) - 0.05;
            boolean pos = !atTop && med > floor[c] + 1 && Stats.quantileSorted(v, 0.05) > med - 1;
            // the spread within stretches of the run: a drift of the signal over the run (laser, PMT, the beads
            // settling) moves identical particles together and does not make them cells
            double[] lowHigh = {med, med};
            double s = pos ? withinSegments(y[c], members, segments, lowHigh) : Double.NaN;
            // tight: positive, measured (not piled up at one value: a scale's bottom or top, constant data) and
            // narrow; scatter is allowed half as much again (small particles scatter little light)
            boolean tight = s > 0 && s <= o.maxSdDecades() * (ch.scatter() ? 1.5 : 1);
            median[c] = tight ? Math.pow(10, med) : Double.NaN;
            sd[c] = tight ? s : Double.NaN;
            low[c] = Double.NEGATIVE_INFINITY;
            high[c] = Double.POSITIVE_INFINITY;
            if (!tight) {
                // a channel the beads are dim, saturated or spread in neither counts nor constrains
                if (ch.scatter()) scatterTight = false;
                continue;
            }
            if (!ch.scatter()) tightFluorescence++;
            double h = Math.max(o.boxDecades(), 5 * s);
            low[c] = Math.pow(10, lowHigh[0] - h);
            high[c] = Math.pow(10, lowHigh[1] + h);
        }
        if (!scatterTight || tightFluorescence < o.minFluorescence()) return null;
        int in = inBox(channels, idx, taken, new Cluster(0, median, sd, low, high, 1), false);
        if (in < o.minEvents()) return null;
        return new Cluster(in, median, sd, low, high, 1);
    }

    private static List<String> names(List<Channel> channels) {
        return channels.stream().map(Channel::name).toList();
    }

    /**
     * Whether a seed starting at {@code center} (positive in {@code positive}) starts where a rejected seed did:
     * the same positive channels, each centre within {@code tolerance} decades.
     */
    private static boolean near(List<double[]> rejected, double[] center, boolean[] positive, double tolerance) {
        int d = center.length;
        for (double[] r : rejected) {
            boolean same = true;
            for (int c = 0; c < d && same; c++) {
                boolean p = r[d + c] == 1;
                if (p != positive[c] || p && Math.abs(r[c] - center[c]) > tolerance) same = false;
            }
            if (same) return true;
        }
        return false;
    }

    /** Stretches of the run (in acquisition order) a cluster's spread is measured within. */
    private static final int SEGMENTS = 4;

    /**
     * The robust SD (log10 units) of a cluster's values within {@code segments} consecutive stretches of its members
     * (acquisition order), pooled as the root mean square of the stretches' MAD-based SDs; {@code lowHigh} receives
     * the lowest and highest of the stretches' medians (the box must hold the cluster wherever it drifted).
     */
    private static double withinSegments(double[] y, int[] members, int segments, double[] lowHigh) {
        double sum = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < segments; k++) {
            int from = (int) ((long) k * members.length / segments);
            int to = (int) ((long) (k + 1) * members.length / segments);
            double[] v = values(y, Arrays.copyOfRange(members, from, to));
            Arrays.sort(v);
            double med = Stats.quantileSorted(v, 0.5);
            double sd = Stats.MAD_TO_SD * Stats.mad(v, med);
            sum += sd * sd;
            lo = Math.min(lo, med);
            hi = Math.max(hi, med);
        }
        lowHigh[0] = lo;
        lowHigh[1] = hi;
        return Math.sqrt(sum / segments);
    }

    /** Events (about) the first two growths of a seed look at. */
    private static final int FIRST_GROWTH_EVENTS = 10_000;

    /**
     * The events not taken (every {@code stride}-th) within {@code half} decades of {@code center} in every
     * positive channel: channel by channel, in loops C2 vectorizes.
     */
    private static int[] gather(double[][] y, boolean[] taken, boolean[] positive, double[] center, double half,
                                int stride) {
        int m = taken.length;
        int n = (m + stride - 1) / stride;
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) out[i] = taken[i * stride];
        for (int c = 0; c < y.length; c++) {
            if (!positive[c]) continue;
            double lo = center[c] - half;
            double hi = center[c] + half;
            double[] yc = y[c];
            for (int i = 0; i < n; i++) {
                double v = yc[i * stride];
                out[i] |= v < lo | v > hi;
            }
        }
        int k = 0;
        for (int i = 0; i < n; i++) if (!out[i]) k++;
        int[] members = new int[k];
        k = 0;
        for (int i = 0; i < n; i++) if (!out[i]) members[k++] = i * stride;
        return members;
    }

    /** Most members whose values a seed's centre and spread are estimated from (an even subsample beyond). */
    private static final int MAX_STATISTICS = 1000;
    /** As {@link #MAX_STATISTICS}, for a seed's first two rounds. */
    private static final int EARLY_STATISTICS = 300;

    /** Channel values of the members (of an even, deterministic subsample of at most {@link #MAX_STATISTICS}). */
    private static double[] values(double[] y, int[] members) {
        return values(y, members, MAX_STATISTICS);
    }

    /** Channel values of the members (of an even, deterministic subsample of at most {@code cap}). */
    private static double[] values(double[] y, int[] members, int cap) {
        int n = Math.min(members.length, cap);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = y[members[(int) ((long) i * members.length / n)]];
        return v;
    }
}
