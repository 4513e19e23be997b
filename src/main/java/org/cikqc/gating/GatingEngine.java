package org.cikqc.gating;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.compensation.Compensator;
import org.cikqc.compensation.SpilloverMatrix;
import org.cikqc.compensation.SpilloverParser;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.transform.TransformTable;

/**
 * Binds a {@link GatingStrategy} to a data set's channels ({@link #compile}), resolving every dimension to a
 * channel or a compensated output and every gate to a batch kernel. Errors (unknown channel, a matrix whose
 * detectors the file lacks) are {@link GatingException}s naming the gate and the reference.
 *
 * <p>Channel names match exactly first, then ignoring case (an ambiguous case-insensitive match is an error).
 * With a matrix compensation-ref (or {@code FCS} on a file that has a spillover matrix), a dimension names an
 * output of the matrix (a fluorochrome; for $SPILLOVER the detector names) or a channel the matrix does not use
 * (scatter, time), which passes through uncompensated. {@code FCS} on a file without spillover is the identity.
 */
public final class GatingEngine {
    private GatingEngine() { }

    /**
     * Compilation options.
     *
     * @param acceleratedTransforms evaluate logicle, hyperlog and fasinh through verified interpolation tables, with
     *                              exact re-evaluation of every event near a gate boundary (memberships are identical
     *                              to {@link #EXACT}; dimension values may differ by {@link CompiledStrategy#valueTolerance})
     */
    public record Options(boolean acceleratedTransforms) {
        /** Accelerated transforms (the default). */
        public static final Options DEFAULT = new Options(true);
        /** Every transformed value computed exactly. */
        public static final Options EXACT = new Options(false);
    }

    /**
     * Compiles against a data set: its parameters, and (only when the strategy uses {@code FCS}) its own spillover
     * keyword.
     */
    public static CompiledStrategy compile(GatingStrategy strategy, FcsDataSet dataSet) {
        return compile(strategy, dataSet, Options.DEFAULT);
    }

    /** {@link #compile(GatingStrategy, FcsDataSet)} with options. */
    public static CompiledStrategy compile(GatingStrategy strategy, FcsDataSet dataSet, Options options) {
        List<Problem> problems = new ArrayList<>();
        SpilloverMatrix acquisition = null;
        if (usesCompensationRef(strategy, Dimension.FCS)) {
            acquisition = SpilloverParser.fromKeywords(dataSet.keywords(), dataSet.parameters(), problems).orElse(null);
        }
        return new Compiler(strategy, dataSet.parameters(), acquisition, options).build(problems);
    }

    /**
     * Compiles against explicit parameters.
     *
     * @param strategy    the strategy
     * @param parameters  the data set's parameters (batches deliver their columns in this order)
     * @param acquisition the matrix {@code FCS} refers to, or null for the identity
     */
    public static CompiledStrategy compile(GatingStrategy strategy, List<FcsParameter> parameters,
                                           SpilloverMatrix acquisition) {
        return compile(strategy, parameters, acquisition, Options.DEFAULT);
    }

    /** {@link #compile(GatingStrategy, List, SpilloverMatrix)} with options. */
    public static CompiledStrategy compile(GatingStrategy strategy, List<FcsParameter> parameters,
                                           SpilloverMatrix acquisition, Options options) {
        return new Compiler(strategy, parameters, acquisition, options).build(List.of());
    }

    /** True when some dimension of the strategy uses this compensation-ref. */
    public static boolean usesCompensationRef(GatingStrategy strategy, String ref) {
        for (Gate g : strategy.gates()) {
            for (Dimension d : g.dimensions()) if (d.compensationRef().equals(ref)) return true;
        }
        return false;
    }

    /**
     * The compensator for a Gating-ML matrix: {@code X · pinv(S)} for a spectrum matrix (the inverse when square),
     * {@code X · M} for a {@code matrix-inverted-already} matrix.
     *
     * @throws org.cikqc.common.CikqcException INVALID_INPUT when a detector is not a parameter or S is singular
     */
    public static Compensator compensator(CompensationMatrix m, List<FcsParameter> parameters) {
        String origin = "spectrumMatrix '" + m.id() + "'";
        if (m.invertedAlready()) {
            return Compensator.ofUnmixing(m.detectors(), m.fluorochromes(), m.coefficients(), parameters, origin);
        }
        return Compensator.of(new SpilloverMatrix(m.fluorochromes(), m.detectors(), m.coefficients(), origin), parameters);
    }

    /** One compile run. */
    private static final class Compiler {
        private final GatingStrategy strategy;
        private final List<FcsParameter> parameters;
        private final SpilloverMatrix acquisition;
        private final Map<String, Integer> slotOfRef = new LinkedHashMap<>();
        private final List<Compensator> compensators = new ArrayList<>();
        private final List<String[]> outputs = new ArrayList<>();
        private final List<int[]> detectorColumns = new ArrayList<>();
        private final Map<Dimension, Integer> dims = new LinkedHashMap<>();
        private final List<CompiledStrategy.DimensionPlan> plans = new ArrayList<>();
        private final Options options;

        Compiler(GatingStrategy strategy, List<FcsParameter> parameters, SpilloverMatrix acquisition, Options options) {
            this.strategy = strategy;
            this.parameters = List.copyOf(parameters);
            this.acquisition = acquisition;
            this.options = options;
        }

        /** The table of a transform (built once and cached by {@link TransformTable#of}), or null. */
        private TransformTable table(org.cikqc.transform.Transform t) {
            return t == null || !options.acceleratedTransforms() ? null : TransformTable.of(t);
        }

        /**
         * {a, b} from {@link TransformTable#band} for bound {@code v} of dimension {@code dim}, or null when the
         * dimension is not tabulated or no band is verified.
         */
        private double[] band(int dim, double v) {
            TransformTable t = plans.get(dim).table();
            return t == null ? null : t.band(v);
        }

        private double[] eps(int[] d) {
            double[] e = new double[d.length];
            for (int k = 0; k < d.length; k++) e[k] = plans.get(d[k]).tolerance();
            return e;
        }

        CompiledStrategy build(List<Problem> problems) {
            List<String> pops = strategy.populationIds();
            Map<String, Integer> popIndex = new LinkedHashMap<>();
            for (int i = 0; i < pops.size(); i++) popIndex.put(pops.get(i), i);
            int[] parents = new int[pops.size()];
            for (int i = 0; i < pops.size(); i++) {
                String p = strategy.parentOf(pops.get(i));
                parents[i] = p == null ? -1 : popIndex.get(p);
            }
            Map<String, int[]> gateDims = new LinkedHashMap<>();
            for (Gate g : strategy.gates()) {
                List<Dimension> gd = g.dimensions();
                int[] idx = new int[gd.size()];
                for (int k = 0; k < idx.length; k++) idx[k] = dimension(g, gd.get(k));
                gateDims.put(g.id(), idx);
            }
            List<GateKernel> kernels = new ArrayList<>();
            for (Gate g : strategy.evaluationOrder()) {
                int[] d = gateDims.get(g.id());
                int parent = g.parentId() == null ? -1 : popIndex.get(g.parentId());
                double[] eps = eps(d);
                if (g instanceof RectangleGate r) {
                    kernels.add(rectangle(r, popIndex.get(g.id()), parent, d));
                } else if (g instanceof PolygonGate p) {
                    kernels.add(new GateKernel.Poly(popIndex.get(g.id()), parent, d[0], d[1], PolygonRegion.of(p.vertices()),
                            eps[0], eps[1]));
                } else if (g instanceof EllipsoidGate e) {
                    kernels.add(new GateKernel.Ellipse(popIndex.get(g.id()), parent, d, e.mean(),
                            EllipsoidGate.inverse(e.id(), e.covarianceMatrix()), e.distanceSquare(), eps));
                } else if (g instanceof QuadrantGate q) {
                    GateKernel set = quadrantSet(q, popIndex, parent, d, eps);
                    if (set != null) {
                        kernels.add(set);
                        continue;
                    }
                    for (QuadrantGate.Quadrant qu : q.quadrants()) {
                        kernels.add(quadrant(q, qu, popIndex.get(qu.id()), parent, d));
                    }
                } else if (g instanceof BooleanGate b) {
                    kernels.add(bool(b, popIndex, parent));
                } else {
                    throw new IllegalStateException("gate type " + g.getClass());
                }
            }
            return new CompiledStrategy(strategy, pops, parents, new ArrayList<>(dims.keySet()),
                    plans.toArray(new CompiledStrategy.DimensionPlan[0]), compensators.toArray(new Compensator[0]),
                    new ArrayList<>(slotOfRef.keySet()), kernels.toArray(new GateKernel[0]), gateDims, problems);
        }

        private GateKernel rectangle(RectangleGate r, int population, int parent, int[] d) {
            double[] min = new double[d.length];
            double[] max = new double[d.length];
            for (int k = 0; k < d.length; k++) {
                min[k] = r.ranges().get(k).min();
                max[k] = r.ranges().get(k).max();
            }
            return rect(population, parent, d, min, max);
        }

        /** A quadrant as a rectangle over the dividers it positions on (unmentioned dividers do not constrain). */
        private GateKernel quadrant(QuadrantGate q, QuadrantGate.Quadrant qu, int population, int parent, int[] d) {
            double[][] b = q.bounds(qu);
            List<Integer> used = new ArrayList<>();
            for (int k = 0; k < b.length; k++) {
                if (b[k][0] != Double.NEGATIVE_INFINITY || b[k][1] != Double.POSITIVE_INFINITY) used.add(k);
            }
            int[] qd = new int[used.size()];
            double[] min = new double[used.size()];
            double[] max = new double[used.size()];
            for (int j = 0; j < qd.length; j++) {
                int k = used.get(j);
                qd[j] = d[k];
                min[j] = b[k][0];
                max[j] = b[k][1];
            }
            return rect(population, parent, qd, min, max);
        }

        /**
         * All quadrants in one kernel, when every divider splits at exactly one value (the usual quadrant gate) and no
         * quadrant positions on both sides of a divider; else null (one rectangle kernel per quadrant).
         */
        private GateKernel quadrantSet(QuadrantGate q, Map<String, Integer> popIndex, int parent, int[] d,
                                       double[] eps) {
            int nd = q.dividers().size();
            if (nd > GateKernel.Quad.MAX_DIVIDERS) return null;
            double[] split = new double[nd];
            int[] raw = new int[nd];
            double[][] bands = new double[nd][];
            for (int j = 0; j < nd; j++) {
                List<Double> values = q.dividers().get(j).values();
                for (double v : values) if (v != values.get(0)) return null; // numeric: -0.0 equals 0.0
                split[j] = values.get(0) == 0 ? 0.0 : values.get(0);
                bands[j] = band(d[j], split[j]);
                raw[j] = bands[j] == null ? -1 : CompiledStrategy.rawColumn(plans.size(), d[j]);
            }
            int nq = q.quadrants().size();
            int[] pops = new int[nq];
            int[] care = new int[nq];
            int[] want = new int[nq];
            for (int k = 0; k < nq; k++) {
                QuadrantGate.Quadrant qu = q.quadrants().get(k);
                pops[k] = popIndex.get(qu.id());
                for (QuadrantGate.Position pos : qu.positions()) {
                    int j = q.indexOfDivider(pos.dividerRef());
                    int bit = 1 << j;
                    int side = pos.location() >= split[j] ? bit : 0;
                    if ((care[k] & bit) != 0 && (want[k] & bit) != side) return null;
                    care[k] |= bit;
                    want[k] |= side;
                }
            }
            return new GateKernel.Quad(pops, parent, d, split, eps, raw, bands, care, want);
        }

        /**
         * A rectangle kernel; each bound on a tabulated dimension becomes a band on the dimension's untransformed
         * values when {@link TransformTable#band} finds one for both of its ends.
         */
        private GateKernel rect(int population, int parent, int[] d, double[] min, double[] max) {
            int nd = d.length;
            int[] raw = new int[nd];
            double[][] lowBand = new double[nd][];
            double[][] highBand = new double[nd][];
            for (int k = 0; k < nd; k++) {
                lowBand[k] = band(d[k], min[k]);
                highBand[k] = lowBand[k] == null ? null : band(d[k], max[k]);
                raw[k] = highBand[k] == null ? -1 : CompiledStrategy.rawColumn(plans.size(), d[k]);
            }
            return new GateKernel.Rect(population, parent, d, min, max, eps(d), raw, lowBand, highBand);
        }

        private static GateKernel bool(BooleanGate b, Map<String, Integer> popIndex, int parent) {
            int[] ops = new int[b.operands().size()];
            boolean[] comp = new boolean[ops.length];
            for (int k = 0; k < ops.length; k++) {
                ops[k] = popIndex.get(b.operands().get(k).ref());
                comp[k] = b.operands().get(k).complement();
            }
            return new GateKernel.Bool(popIndex.get(b.id()), parent, b.operator(), ops, comp);
        }

        private int dimension(Gate g, Dimension d) {
            Integer existing = dims.get(d);
            if (existing != null) return existing;
            org.cikqc.transform.Transform transform = null;
            if (d.transformationRef() != null) {
                transform = ((ScaleTransformation) strategy.transformations().get(d.transformationRef())).transform();
            }
            CompiledStrategy.DimensionPlan plan;
            if (d instanceof FcsDimension f) {
                int[] src = resolve(g, f.name(), f.compensationRef());
                plan = new CompiledStrategy.DimensionPlan(d, src[0], src[1], -1, -1, null, transform, table(transform));
            } else {
                RatioDimension r = (RatioDimension) d;
                RatioTransformation rt = (RatioTransformation) strategy.transformations().get(r.ratioRef());
                int[] a = resolve(g, rt.numerator(), r.compensationRef());
                int[] b = resolve(g, rt.denominator(), r.compensationRef());
                plan = new CompiledStrategy.DimensionPlan(d, a[0], a[1], b[0], b[1], rt, transform, table(transform));
            }
            int idx = plans.size();
            plans.add(plan);
            dims.put(d, idx);
            return idx;
        }

        /** {matrix slot or -1, column}: where the values of {@code name} under {@code ref} come from. */
        private int[] resolve(Gate g, String name, String ref) {
            if (ref.equals(Dimension.UNCOMPENSATED) || (ref.equals(Dimension.FCS) && acquisition == null)) {
                return new int[] {-1, channel(g, name, true)};
            }
            int slot = slot(g, ref);
            int out = lookup(outputs.get(slot), name, g, "compensated values of '" + ref + "'");
            if (out >= 0) return new int[] {slot, out};
            int ch = channel(g, name, false);
            if (ch >= 0 && !contains(detectorColumns.get(slot), ch)) return new int[] {-1, ch};
            if (ch >= 0) {
                throw GatingException.of(g.id(), "gate '" + g.id() + "': '" + name + "' is a detector of compensation '" + ref
                        + "'; its compensated values are named " + List.of(outputs.get(slot)));
            }
            throw GatingException.of(g.id(), "gate '" + g.id() + "': unknown channel '" + name + "' for compensation-ref '"
                    + ref + "': neither a compensated output nor a $PnN (compensated: " + List.of(outputs.get(slot))
                    + "; channels: " + channelList() + ")");
        }

        private int slot(Gate g, String ref) {
            Integer s = slotOfRef.get(ref);
            if (s != null) return s;
            Compensator c;
            try {
                c = ref.equals(Dimension.FCS) ? Compensator.of(acquisition, parameters)
                        : compensator(strategy.matrices().get(ref), parameters);
            } catch (CikqcException e) {
                throw GatingException.of(g.id(), "gate '" + g.id() + "': compensation '" + ref + "': " + e.getMessage());
            }
            int slot = compensators.size();
            compensators.add(c);
            outputs.add(c.outputNames());
            detectorColumns.add(c.detectorColumns());
            slotOfRef.put(ref, slot);
            return slot;
        }

        private static boolean contains(int[] a, int v) {
            for (int x : a) if (x == v) return true;
            return false;
        }

        /** Index of {@code name} among the parameters, or -1 (or an error when {@code required}). */
        private int channel(Gate g, String name, boolean required) {
            String[] names = new String[parameters.size()];
            for (int i = 0; i < names.length; i++) names[i] = parameters.get(i).name();
            int i = lookup(names, name, g, "channels");
            if (i < 0 && required) {
                throw GatingException.of(g.id(), "gate '" + g.id() + "': unknown channel '" + name + "': no $PnN names it"
                        + " (channels: " + channelList() + ")");
            }
            return i;
        }

        private String channelList() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < parameters.size(); i++) {
                if (i > 0) sb.append(", ");
                if (i == 24) {
                    sb.append("… ").append(parameters.size() - 24).append(" more");
                    break;
                }
                sb.append(parameters.get(i).name());
            }
            return sb.toString();
        }

        /** Exact match, else a unique case-insensitive (and surrounding-space-insensitive) match, else -1. */
        private static int lookup(String[] names, String name, Gate g, String what) {
            for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
            String key = name.strip().toLowerCase(Locale.ROOT);
            int found = -1;
            for (int i = 0; i < names.length; i++) {
                if (names[i].strip().toLowerCase(Locale.ROOT).equals(key)) {
                    if (found >= 0) {
                        throw GatingException.of(g.id(), "gate '" + g.id() + "': '" + name + "' matches both '"
                                + names[found] + "' and '" + names[i] + "' among the " + what);
                    }
                    found = i;
                }
            }
            return found;
        }
    }
}
