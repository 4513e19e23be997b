package org.cikqc.gating;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ordered, validated collection of gates with the transformations and compensation matrices they use — the
 * content of one Gating-ML document. Immutable.
 *
 * <p>Validation (any failure throws a {@link GatingException}, kind INVALID_INPUT, with a one-line message naming the
 * element and the reference): every id is an XML NCName and unique across gates, quadrants, dividers,
 * transformations and matrices; parents and boolean operands refer to populations (gate or quadrant ids, not the id of
 * a quadrant gate); transformation-refs refer to scale transformations and new-dimensions to fratio transformations;
 * compensation-refs are {@code FCS}, {@code uncompensated} or a matrix id; references are acyclic. Channel names are
 * checked later, against a data set, by {@link GatingEngine#compile}.
 */
public final class GatingStrategy {
    private final List<Gate> gates;
    private final Map<String, Transformation> transformations;
    private final Map<String, CompensationMatrix> matrices;
    private final Map<String, Gate> gateById;
    private final Map<String, Gate> gateOfPopulation;
    private final List<String> populationIds;
    private final List<Gate> evaluationOrder;
    /** The line of each gate, divider, quadrant, transformation and matrix id in the document read, if any. */
    private final Map<String, Integer> sourceLines;

    private GatingStrategy(List<Gate> gates, List<? extends Transformation> transformations,
                           List<CompensationMatrix> matrices) {
        this.sourceLines = Map.of();
        this.gates = List.copyOf(gates);
        Map<String, String> ids = new HashMap<>();
        Map<String, Transformation> tr = new LinkedHashMap<>();
        for (Transformation t : transformations) {
            claim(ids, t.id(), "transformation");
            tr.put(t.id(), t);
        }
        Map<String, CompensationMatrix> mx = new LinkedHashMap<>();
        for (CompensationMatrix m : matrices) {
            if (m.id().equals(Dimension.FCS) || m.id().equals(Dimension.UNCOMPENSATED)) {
                throw GatingException.of(m.id(), "matrix '" + m.id() + "': id is reserved for compensation-ref");
            }
            claim(ids, m.id(), "spectrumMatrix");
            mx.put(m.id(), m);
        }
        this.transformations = Collections.unmodifiableMap(tr);
        this.matrices = Collections.unmodifiableMap(mx);
        Map<String, Gate> byId = new LinkedHashMap<>();
        Map<String, Gate> byPop = new LinkedHashMap<>();
        List<String> pops = new ArrayList<>();
        for (Gate g : this.gates) {
            claim(ids, g.id(), "gate");
            byId.put(g.id(), g);
            if (g instanceof QuadrantGate q) {
                for (QuadrantGate.Divider d : q.dividers()) claim(ids, d.id(), "divider of gate '" + g.id() + "'");
                for (QuadrantGate.Quadrant qu : q.quadrants()) claim(ids, qu.id(), "quadrant of gate '" + g.id() + "'");
            }
            for (String p : g.populationIds()) {
                byPop.put(p, g);
                pops.add(p);
            }
        }
        this.gateById = Collections.unmodifiableMap(byId);
        this.gateOfPopulation = Collections.unmodifiableMap(byPop);
        this.populationIds = List.copyOf(pops);
        for (Gate g : this.gates) checkReferences(g);
        this.evaluationOrder = List.copyOf(topologicalOrder());
    }

    /** {@code s} as it is (already validated), with these source lines. */
    private GatingStrategy(GatingStrategy s, Map<String, Integer> lines) {
        this.gates = s.gates;
        this.transformations = s.transformations;
        this.matrices = s.matrices;
        this.gateById = s.gateById;
        this.gateOfPopulation = s.gateOfPopulation;
        this.populationIds = s.populationIds;
        this.evaluationOrder = s.evaluationOrder;
        this.sourceLines = Map.copyOf(lines);
    }

    /**
     * Builds and validates a strategy.
     *
     * @param gates           gates in document order
     * @param transformations transformations (scale and ratio)
     * @param matrices        compensation matrices
     */
    public static GatingStrategy of(List<Gate> gates, List<? extends Transformation> transformations,
                                    List<CompensationMatrix> matrices) {
        return new GatingStrategy(gates, transformations, matrices);
    }

    /** A strategy of plain gates without transformations or matrices. */
    public static GatingStrategy of(List<Gate> gates) { return of(gates, List.of(), List.of()); }

    /** This strategy plus one more matrix (e.g. a matrix supplied on the command line). */
    public GatingStrategy withMatrix(CompensationMatrix m) {
        List<CompensationMatrix> all = new ArrayList<>(matrices.values());
        all.add(m);
        return of(gates, List.copyOf(transformations.values()), all).withSourceLines(sourceLines);
    }

    /** This strategy with gates appended (transformations and matrices unchanged). */
    public GatingStrategy withGates(List<Gate> more) {
        List<Gate> all = new ArrayList<>(gates);
        all.addAll(more);
        return of(all, List.copyOf(transformations.values()), List.copyOf(matrices.values())).withSourceLines(sourceLines);
    }

    /**
     * This strategy, knowing the line of each id in the document it was read from, so that an error found later
     * (binding it to a data set: an unknown channel or detector) can point at the gate's line as a reading error does.
     */
    public GatingStrategy withSourceLines(Map<String, Integer> lines) {
        return new GatingStrategy(this, lines);
    }

    /** The document line of the element with this id (gate, divider, quadrant, transformation, matrix), or null. */
    public Integer sourceLine(String id) {
        return id == null ? null : sourceLines.get(id);
    }

    private static void claim(Map<String, String> ids, String id, String what) {
        if (!isNcName(id)) {
            throw GatingException.of(id, what + " '" + id + "': id is not a valid XML name (letters, digits, '.', '-', '_';"
                    + " no leading digit)");
        }
        String prev = ids.putIfAbsent(id, what);
        if (prev != null) throw GatingException.of(id, what + " '" + id + "': duplicate id (also used by a " + prev + ")");
    }

    /** True when {@code s} is an XML NCName (the lexical form of xs:ID). */
    public static boolean isNcName(String s) {
        if (s == null || s.isEmpty()) return false;
        int first = s.codePointAt(0);
        if (!(Character.isLetter(first) || first == '_')) return false;
        for (int i = Character.charCount(first); i < s.length(); ) {
            int c = s.codePointAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == 0xB7
                    || Character.getType(c) == Character.NON_SPACING_MARK
                    || Character.getType(c) == Character.COMBINING_SPACING_MARK)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private void checkReferences(Gate g) {
        if (g.parentId() != null) checkPopulationRef(g, g.parentId(), "parent_id");
        if (g instanceof BooleanGate b) {
            for (BooleanGate.Operand o : b.operands()) checkPopulationRef(g, o.ref(), "gate reference");
        }
        for (Dimension d : g.dimensions()) checkDimension(g, d);
    }

    private void checkPopulationRef(Gate g, String ref, String what) {
        if (gateOfPopulation.containsKey(ref)) return;
        Gate target = gateById.get(ref);
        if (target instanceof QuadrantGate q) {
            throw GatingException.of(g.id(), "gate '" + g.id() + "': " + what + " '" + ref
                    + "' is a quadrant gate; refer to one of its quadrants " + q.populationIds());
        }
        throw GatingException.of(g.id(), "gate '" + g.id() + "': unknown " + what + " '" + ref + "'");
    }

    private void checkDimension(Gate g, Dimension d) {
        String comp = d.compensationRef();
        if (!comp.equals(Dimension.FCS) && !comp.equals(Dimension.UNCOMPENSATED) && !matrices.containsKey(comp)) {
            throw GatingException.of(g.id(), "gate '" + g.id() + "': unknown compensation-ref '" + comp
                    + "' (use FCS, uncompensated or a spectrumMatrix id" + (matrices.isEmpty() ? "" : " " + matrices.keySet())
                    + ")");
        }
        if (d.transformationRef() != null) {
            Transformation t = transformations.get(d.transformationRef());
            if (t == null) {
                throw GatingException.of(g.id(), "gate '" + g.id() + "': unknown transformation-ref '"
                        + d.transformationRef() + "'");
            }
            if (!(t instanceof ScaleTransformation)) {
                throw GatingException.of(g.id(), "gate '" + g.id() + "': transformation-ref '" + d.transformationRef()
                        + "' is an fratio; an fratio can only define a new-dimension");
            }
        }
        if (d instanceof FcsDimension f && f.name().isBlank()) {
            throw GatingException.of(g.id(), "gate '" + g.id() + "': empty fcs-dimension name");
        }
        if (d instanceof RatioDimension r) {
            Transformation t = transformations.get(r.ratioRef());
            if (t == null) {
                throw GatingException.of(g.id(), "gate '" + g.id() + "': unknown new-dimension transformation-ref '"
                        + r.ratioRef() + "'");
            }
            if (!(t instanceof RatioTransformation)) {
                throw GatingException.of(g.id(), "gate '" + g.id() + "': new-dimension refers to '" + r.ratioRef()
                        + "', which is not an fratio transformation");
            }
        }
    }

    /** Gate-level dependencies: the gates whose populations this gate references. */
    private List<Gate> dependencies(Gate g) {
        List<Gate> deps = new ArrayList<>();
        if (g.parentId() != null) deps.add(gateOfPopulation.get(g.parentId()));
        if (g instanceof BooleanGate b) {
            for (BooleanGate.Operand o : b.operands()) deps.add(gateOfPopulation.get(o.ref()));
        }
        return deps;
    }

    /**
     * Depth-first post-order over the dependencies, with an explicit stack so that a chain of any depth (a parent or
     * boolean chain 100,000 gates deep, declared child first) cannot overflow the thread's stack.
     */
    private List<Gate> topologicalOrder() {
        Map<String, Integer> state = new HashMap<>(); // absent = new, 1 = on stack, 2 = done
        List<Gate> order = new ArrayList<>(gates.size());
        List<Frame> stack = new ArrayList<>();
        for (Gate root : gates) {
            if (state.containsKey(root.id())) continue;
            stack.add(enter(root, state));
            while (!stack.isEmpty()) {
                Frame top = stack.get(stack.size() - 1);
                if (top.pending().hasNext()) {
                    Gate d = top.pending().next();
                    Integer s = state.get(d.id());
                    if (s == null) {
                        stack.add(enter(d, state));
                    } else if (s == 1) {
                        throw GatingException.of(d.id(), "gate '" + d.id() + "': cyclic reference " + cycle(stack, d));
                    }
                } else {
                    stack.remove(stack.size() - 1);
                    state.put(top.gate().id(), 2);
                    order.add(top.gate());
                }
            }
        }
        return order;
    }

    /** A gate on the depth-first stack and the dependencies not yet visited from it. */
    private record Frame(Gate gate, Iterator<Gate> pending) { }

    private Frame enter(Gate g, Map<String, Integer> state) {
        state.put(g.id(), 1);
        return new Frame(g, dependencies(g).iterator());
    }

    /** "a -> b -> … -> d", the cycle from {@code d}'s frame on the stack back to {@code d} (long ones shortened). */
    private static String cycle(List<Frame> stack, Gate d) {
        int from = 0;
        while (stack.get(from).gate() != d) from++;
        int length = stack.size() - from;
        int shown = length > 10 ? 8 : length;
        StringBuilder path = new StringBuilder();
        for (int i = from; i < from + shown; i++) path.append(stack.get(i).gate().id()).append(" -> ");
        if (shown < length) path.append("... (").append(length).append(" gates) -> ");
        return path.append(d.id()).toString();
    }

    /** The gates in document order. */
    public List<Gate> gates() { return gates; }

    /** Transformations by id, in document order. */
    public Map<String, Transformation> transformations() { return transformations; }

    /** Compensation matrices by id, in document order. */
    public Map<String, CompensationMatrix> matrices() { return matrices; }

    /** The gate with this id, or null. */
    public Gate gate(String id) { return gateById.get(id); }

    /** The gate that defines this population (a quadrant's quadrant gate), or null. */
    public Gate gateOfPopulation(String populationId) { return gateOfPopulation.get(populationId); }

    /** Every population id (gate ids, quadrant ids for quadrant gates) in document order. */
    public List<String> populationIds() { return populationIds; }

    /** The parent population of a population, or null for a root population. */
    public String parentOf(String populationId) {
        Gate g = gateOfPopulation.get(populationId);
        if (g == null) throw new IllegalArgumentException("unknown population " + populationId);
        return g.parentId();
    }

    /** Gates ordered so that every gate comes after the gates it references (stable with respect to document order). */
    public List<Gate> evaluationOrder() { return evaluationOrder; }

    @Override
    public boolean equals(Object o) {
        return o instanceof GatingStrategy s && gates.equals(s.gates) && transformations.equals(s.transformations)
                && matrices.equals(s.matrices);
    }

    @Override
    public int hashCode() { return Objects.hash(gates, transformations, matrices); }

    @Override
    public String toString() {
        return "GatingStrategy[" + gates.size() + " gates, " + transformations.size() + " transformations, "
                + matrices.size() + " matrices]";
    }
}
