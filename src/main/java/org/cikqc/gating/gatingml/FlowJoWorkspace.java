package org.cikqc.gating.gatingml;

import static org.cikqc.gating.gatingml.GatingMlSchema.DATATYPES_NS;
import static org.cikqc.gating.gatingml.GatingMlSchema.GATING_NS;
import static org.cikqc.gating.gatingml.GatingMlSchema.TRANSFORMS_NS;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.xml.parsers.SAXParser;

import org.cikqc.common.CikqcException;
import org.cikqc.compensation.SpilloverMatrix;
import org.cikqc.gating.BooleanGate;
import org.cikqc.gating.Dimension;
import org.cikqc.gating.EllipsoidGate;
import org.cikqc.gating.FcsDimension;
import org.cikqc.gating.Gate;
import org.cikqc.gating.GatingException;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.gating.PolygonGate;
import org.cikqc.gating.RectangleGate;
import org.cikqc.gating.ScaleTransformation;
import org.cikqc.transform.AsinhTransform;
import org.cikqc.transform.BoundedTransform;
import org.cikqc.transform.FlowJoBiexTransform;
import org.cikqc.transform.LinearTransform;
import org.cikqc.transform.LogTransform;
import org.cikqc.transform.LogicleTransform;
import org.cikqc.transform.Transform;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * A FlowJo 10 workspace ({@code .wsp}) read for its samples' gate trees, so that a hand-drawn FlowJo analysis can be
 * replayed by the gating engine event for event and compared with the counts FlowJo recorded.
 *
 * <p>What is read, per {@code SampleList/Sample}: the data set's URI, the sample's own spillover matrix
 * ({@code transforms:spilloverMatrix}: rows = sources, columns = detectors, as {@code $SPILLOVER}; its
 * {@code prefix}, e.g. {@code Comp-}, marks compensated dimension names), its display transforms
 * ({@code Transformations}: linear, log, fasinh, logicle, biex) and the population tree under {@code SampleNode}
 * ({@code Population} with one {@code Gate}, and the Boolean {@code AndNode}/{@code OrNode}/{@code NotNode} whose
 * operands are {@code Dependent} paths from the sample root). Group template trees ({@code GroupNode}) are not
 * used: FlowJo keeps each sample's effective tree, custom gates included, under its {@code SampleNode}.
 *
 * <p>How FlowJo's gates become engine gates (see {@link #strategy}):
 * <ul>
 * <li>Rectangles (quadrants are written by FlowJo as four open-ended rectangles) are stored in data units and are
 * tested there, {@code min <= x < max}. A bound at or beyond the edge of the sample's display scale is open, because
 * FlowJo piles off-scale events on the axis and counts them in a gate drawn to the edge.</li>
 * <li>Polygon vertices are in data units, but FlowJo draws the edges straight on its display scale, so vertices
 * and events are both transformed by the channel's display transform, clipped to the displayed range [0, 1], and
 * tested there (points on an edge are inside).</li>
 * <li>Ellipses are stored as two foci and four edge points on FlowJo's 256 × 256 display grid; they become a
 * Gating-ML ellipsoid on the same clipped display scale (centre = midpoint of the foci, semi-major axis from the
 * two edge points on the focal line, semi-minor axis from the focal distance).</li>
 * <li>{@code eventsInside="0"} takes the complement within the parent; a Boolean node is ANDed with the
 * population it is nested in, as FlowJo does.</li>
 * <li>A channel without a listed transform is displayed linearly from 0 to its {@code $PnR} (from the workspace's
 * copy of the keywords).</li>
 * </ul>
 *
 * <p>FlowJo computes polygon and ellipse membership on its binned display, so its counts may differ from exact
 * geometry by a few events on a gate's edge; rectangles are exact.
 *
 * <p>The XML parser is hardened as for Gating-ML (no DOCTYPE, no external entities); only the elements named
 * above are kept in memory, so layouts, tables and graphs of a large workspace cost nothing. Errors are
 * {@link CikqcException}s of kind INVALID_INPUT with a one-line message {@code name:line: what}.
 */
public final class FlowJoWorkspace {
    /** Most elements kept from one workspace (the gate trees; graphs, layouts and tables are skipped). */
    static final int MAX_KEPT_ELEMENTS = 500_000;

    private static final Set<String> KEPT = Set.of("Workspace", "SampleList", "Sample", "DataSet", "Transformations",
            "Keywords", "Keyword", "SampleNode", "Subpopulations", "Population", "AndNode", "OrNode", "NotNode",
            "Dependents", "Dependent", "Gate");
    private static final Set<String> BOOLEAN_NODES = Set.of("AndNode", "OrNode", "NotNode");
    private static final Set<String> SUPPORTED_TRANSFORMS = Set.of("linear", "log", "fasinh", "logicle", "biex");

    private final String source;
    private final List<Sample> samples;
    private final List<SampleXml> sampleElements;

    /** A sample's element and its population elements (Population or Boolean node), in the order of its populations. */
    private record SampleXml(XmlNode sample, List<XmlNode> populations) { }

    private FlowJoWorkspace(String source, List<Sample> samples, List<SampleXml> sampleElements) {
        this.source = source;
        this.samples = List.copyOf(samples);
        this.sampleElements = List.copyOf(sampleElements);
    }

    /**
     * One population of a sample's tree, in document (depth-first) order.
     *
     * @param path        FlowJo's path from the sample root, e.g. {@code /Time/Singlets/CD3+}
     * @param parentPath  the enclosing population's path, or null at the root
     * @param kind        {@code RectangleGate}, {@code PolygonGate}, {@code EllipsoidGate}, {@code AndNode},
     *                    {@code OrNode} or {@code NotNode}
     * @param flowJoCount the count FlowJo recorded, or -1 when it recorded none
     */
    public record Population(String path, String parentPath, String kind, long flowJoCount) { }

    /**
     * A sample of the workspace.
     *
     * @param sampleId    FlowJo's sampleID
     * @param name        the SampleNode's name (usually the FCS file name)
     * @param fileName    the data set URI's last segment, decoded (may be empty)
     * @param flowJoCount the event count FlowJo recorded for the sample, or -1
     * @param populations the population tree, depth first
     */
    public record Sample(String sampleId, String name, String fileName, long flowJoCount, List<Population> populations) {
        /** A one-line label: name and id. */
        public String label() { return "'" + name + "' (sampleID " + sampleId + ")"; }
    }

    /**
     * A sample's tree as an engine strategy.
     *
     * @param strategy    the gates; populations of FlowJo's tree have the ids of {@link #ids}, in the same order as
     *                    {@link #populations}; other populations (the shapes of {@code eventsInside="0"} gates)
     *                    are helpers
     * @param matrix      the sample's spillover matrix, or null (then compensated names use the file's own)
     * @param populations FlowJo's populations
     * @param ids         their population ids in {@link #strategy} ({@code fj1}, {@code fj2}, ... in order)
     * @param notes       what was assumed (one line each)
     */
    public record Imported(GatingStrategy strategy, SpilloverMatrix matrix, List<Population> populations,
                           List<String> ids, List<String> notes) { }

    /** The workspace's file name (message prefix). */
    public String source() { return source; }

    /** The samples, in document order. */
    public List<Sample> samples() { return samples; }

    // ---------------------------------------------------------------------------------------------------------------
    // reading

    /** Reads a workspace file. */
    public static FlowJoWorkspace read(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (Files.isDirectory(file)) throw CikqcException.input(name + ": is a directory, not a FlowJo workspace");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, name);
        } catch (NoSuchFileException e) {
            throw CikqcException.input(name + ": no such file");
        } catch (IOException e) {
            throw CikqcException.inputFailed(name + ": cannot read", e);
        }
    }

    /** Reads a workspace from a stream (not closed); {@code sourceName} prefixes messages. */
    public static FlowJoWorkspace read(InputStream in, String sourceName) {
        SAXParser parser = GatingMlReader.newParser(false);
        Pruned tree = new Pruned(sourceName);
        try {
            parser.parse(new InputSource(in), tree);
        } catch (SAXParseException e) {
            throw GatingMlReader.located(sourceName, e);
        } catch (SAXException e) {
            if (e.getException() instanceof CikqcException c) throw c;
            throw CikqcException.input(sourceName + ": " + GatingMlReader.clean(e.getMessage()));
        } catch (IOException e) {
            throw GatingMlReader.readFailed(sourceName, e);
        }
        if (tree.root == null) throw CikqcException.input(sourceName + ": empty document");
        if (!tree.root.is("", "Workspace")) {
            throw CikqcException.input(sourceName + ":" + tree.root.line + ": not a FlowJo workspace (the root element is <"
                    + tree.root.local + ">, not <Workspace>)");
        }
        List<Sample> samples = new ArrayList<>();
        List<SampleXml> elements = new ArrayList<>();
        XmlNode list = tree.root.child("", "SampleList");
        if (list != null) {
            for (XmlNode s : list.children("", "Sample")) {
                List<XmlNode> popElements = new ArrayList<>();
                samples.add(sample(sourceName, s, popElements));
                elements.add(new SampleXml(s, List.copyOf(popElements)));
            }
        }
        if (samples.isEmpty()) throw CikqcException.input(sourceName + ": the workspace has no samples (no SampleList/Sample)");
        return new FlowJoWorkspace(sourceName, samples, elements);
    }

    /** SAX handler keeping only the elements the gate trees need; everything else is skipped with its subtree. */
    private static final class Pruned extends DefaultHandler {
        private final String source;
        private final Deque<XmlNode> stack = new ArrayDeque<>();
        private Locator locator;
        private int skipDepth;
        private int kept;
        XmlNode root;

        Pruned(String source) { this.source = source; }

        @Override
        public void setDocumentLocator(Locator locator) { this.locator = locator; }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (skipDepth > 0) {
                skipDepth++;
                return;
            }
            boolean keep = stack.isEmpty() || KEPT.contains(localName) && (uri == null || uri.isEmpty())
                    || isGatingMl(uri) && keptParentForGatingMl();
            if (!keep) {
                skipDepth = 1;
                return;
            }
            if (++kept > MAX_KEPT_ELEMENTS) {
                throw new SAXException(CikqcException.input(source + ": more than " + MAX_KEPT_ELEMENTS
                        + " gate-tree elements; refused"));
            }
            XmlNode n = new XmlNode(uri, localName, locator == null ? -1 : locator.getLineNumber());
            for (int i = 0; i < atts.getLength(); i++) n.attribute(atts.getURI(i), atts.getLocalName(i), atts.getValue(i));
            if (stack.isEmpty()) root = n;
            else stack.peek().children.add(n);
            stack.push(n);
        }

        private static boolean isGatingMl(String uri) {
            return GATING_NS.equals(uri) || TRANSFORMS_NS.equals(uri) || DATATYPES_NS.equals(uri);
        }

        /** Gating-ML elements are kept under a Gate, a Sample (matrix), Transformations or another Gating-ML element. */
        private boolean keptParentForGatingMl() {
            XmlNode p = stack.peek();
            return p != null && (isGatingMl(p.ns) || p.is("", "Gate") || p.is("", "Sample") || p.is("", "Transformations"));
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if (skipDepth > 0) {
                skipDepth--;
                return;
            }
            stack.pop();
        }

        @Override
        public void error(SAXParseException e) throws SAXException { throw e; }

        @Override
        public void fatalError(SAXParseException e) throws SAXException { throw e; }
    }

    private static Sample sample(String source, XmlNode s, List<XmlNode> popElements) {
        XmlNode ds = s.child("", "DataSet");
        XmlNode sn = s.child("", "SampleNode");
        String id = ds != null && ds.attr("", "sampleID") != null ? ds.attr("", "sampleID")
                : sn != null && sn.attr("", "sampleID") != null ? sn.attr("", "sampleID") : "?";
        if (sn == null) throw CikqcException.input(source + ":" + s.line + ": sample " + id + " has no SampleNode");
        String name = sn.attr("", "name") == null ? "" : sn.attr("", "name");
        String file = ds == null ? "" : fileName(ds.attr("", "uri"));
        List<Population> pops = new ArrayList<>();
        Set<String> paths = new java.util.HashSet<>();
        collect(source, sn, null, pops, popElements, paths);
        return new Sample(id, name, file, count(source, sn), Collections.unmodifiableList(pops));
    }

    /** The populations under {@code node}, depth first, with their elements in the same order. */
    private static void collect(String source, XmlNode node, String parentPath, List<Population> out,
                                List<XmlNode> elements, Set<String> paths) {
        XmlNode subs = node.child("", "Subpopulations");
        if (subs == null) return;
        for (XmlNode c : subs.children) {
            if (!(c.is("", "Population") || BOOLEAN_NODES.contains(c.local) && c.ns.isEmpty())) continue;
            String name = c.attr("", "name");
            if (name == null || name.isEmpty()) {
                throw CikqcException.input(source + ":" + c.line + ": <" + c.local + "> without a name");
            }
            String path = (parentPath == null ? "" : parentPath) + "/" + name;
            if (!paths.add(path)) {
                throw CikqcException.input(source + ":" + c.line + ": two populations at the same path '" + path
                        + "'; rename one in FlowJo");
            }
            String kind = c.local;
            if (c.is("", "Population")) kind = shape(source, c).local;
            out.add(new Population(path, parentPath, kind, count(source, c)));
            elements.add(c);
            collect(source, c, path, out, elements, paths);
        }
    }

    /** The gating:* element of a Population's Gate. */
    private static XmlNode shape(String source, XmlNode population) {
        XmlNode gate = population.child("", "Gate");
        if (gate == null) {
            throw CikqcException.input(source + ":" + population.line + ": population '" + population.attr("", "name")
                    + "' has no <Gate>");
        }
        for (XmlNode g : gate.children) if (g.ns.equals(GATING_NS)) return g;
        throw CikqcException.input(source + ":" + gate.line + ": the <Gate> of population '" + population.attr("", "name")
                + "' holds no gating:* gate");
    }

    private static long count(String source, XmlNode n) {
        String c = n.attr("", "count");
        if (c == null || c.isBlank()) return -1;
        try {
            long v = Long.parseLong(c.strip());
            return v < 0 ? -1 : v;
        } catch (NumberFormatException e) {
            throw CikqcException.input(source + ":" + n.line + ": count=\"" + c + "\" is not a whole number");
        }
    }

    /** The last path segment of a data set URI such as {@code file:/V:/data/x%20y.fcs}, percent-decoded. */
    static String fileName(String uri) {
        if (uri == null) return "";
        String u = uri.replace('\\', '/');
        int slash = u.lastIndexOf('/');
        String last = slash >= 0 ? u.substring(slash + 1) : u;
        int colon = last.indexOf(':');
        if (slash < 0 && colon >= 0) last = last.substring(colon + 1);
        try {
            return URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return last;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // choosing a sample

    /**
     * The sample to replay on {@code fcsFileName}: the one {@code selector} names (SampleNode name, data set file name
     * or sampleID) or, without a selector, the one whose SampleNode or data set file name equals the FCS file's name,
     * or the only sample.
     */
    public Sample select(String selector, String fcsFileName) {
        if (selector != null) {
            List<Sample> hits = new ArrayList<>();
            for (Sample s : samples) {
                if (selector.equals(s.name()) || selector.equals(s.fileName()) || selector.equals(s.sampleId())) hits.add(s);
            }
            if (hits.size() == 1) return hits.get(0);
            if (hits.isEmpty()) throw CikqcException.input(source + ": no sample '" + selector + "' (samples: " + labels() + ")");
            throw CikqcException.input(source + ": '" + selector + "' names " + hits.size()
                    + " samples; give the sampleID (samples: " + labels() + ")");
        }
        List<Sample> hits = new ArrayList<>();
        for (Sample s : samples) {
            if (fcsFileName.equals(s.name()) || fcsFileName.equals(s.fileName())) hits.add(s);
        }
        if (hits.size() == 1) return hits.get(0);
        if (hits.isEmpty() && samples.size() == 1) return samples.get(0);
        throw CikqcException.input(source + ": " + (hits.isEmpty() ? "no sample is named " : "several samples are named ")
                + "'" + fcsFileName + "'; choose one with --sample (samples: " + labels() + ")");
    }

    private String labels() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < samples.size() && i < 20; i++) {
            if (i > 0) sb.append(", ");
            sb.append(samples.get(i).label());
        }
        if (samples.size() > 20) sb.append(", … ").append(samples.size() - 20).append(" more");
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // building a strategy

    /**
     * The sample's tree as an engine strategy for a data set with these channel names ({@code $PnN}; FlowJo writes
     * '/' in a channel name as '_', which is matched back).
     */
    public Imported strategy(Sample sample, List<String> channels) {
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i) == sample) return new Builder(source, sample, sampleElements.get(i), channels).build();
        }
        throw new IllegalArgumentException("not a sample of " + source + ": " + sample.label());
    }

    private static final class Builder {
        private final String source;
        private final Sample sample;
        private final XmlNode element;
        private final List<XmlNode> populationElements;
        private final List<String> channels;
        private final Map<String, String> keywords = new HashMap<>();
        private final Map<String, XmlNode> transformOf = new HashMap<>();
        private final Map<String, String> idOfPath = new HashMap<>();
        private final Map<String, Transform> displayCache = new HashMap<>();
        private final Map<String, ScaleTransformation> transformations = new LinkedHashMap<>();
        private final List<Gate> gates = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private SpilloverMatrix matrix;
        private String prefix = "Comp-";
        private String suffix = "";
        private boolean fileMatrixNoted;

        Builder(String source, Sample sample, SampleXml xml, List<String> channels) {
            this.source = source;
            this.sample = sample;
            this.element = xml.sample();
            this.populationElements = xml.populations();
            this.channels = List.copyOf(channels);
        }

        Imported build() {
            XmlNode kws = element.child("", "Keywords");
            if (kws != null) {
                for (XmlNode k : kws.children("", "Keyword")) {
                    if (k.attr("", "name") != null) keywords.put(k.attr("", "name").toUpperCase(Locale.ROOT), k.attr("", "value"));
                }
            }
            XmlNode tr = element.child("", "Transformations");
            if (tr != null) {
                for (XmlNode t : tr.children) {
                    XmlNode p = t.child(DATATYPES_NS, "parameter");
                    String name = p == null ? null : p.attr(DATATYPES_NS, "name");
                    if (name != null) transformOf.putIfAbsent(name, t);
                }
            }
            List<XmlNode> mats = element.children(TRANSFORMS_NS, "spilloverMatrix");
            if (mats.size() > 1) {
                throw CikqcException.input(source + ":" + mats.get(1).line + ": sample " + sample.label()
                        + " has more than one spillover matrix");
            }
            if (!mats.isEmpty()) matrix = matrix(mats.get(0));
            List<Population> pops = sample.populations();
            List<String> ids = new ArrayList<>();
            for (Population p : pops) {
                ids.add("fj" + (ids.size() + 1));
                idOfPath.put(p.path(), ids.get(ids.size() - 1));
            }
            for (int k = 0; k < pops.size(); k++) {
                XmlNode c = populationElements.get(k);
                String parentId = pops.get(k).parentPath() == null ? null : idOfPath.get(pops.get(k).parentPath());
                if (c.is("", "Population")) population(c, ids.get(k), parentId);
                else booleanNode(c, ids.get(k), parentId);
            }
            GatingStrategy strategy;
            try {
                strategy = GatingStrategy.of(gates, List.copyOf(transformations.values()), List.of());
            } catch (GatingException e) {
                throw CikqcException.input(source + ": sample " + sample.label() + ": " + e.getMessage());
            }
            return new Imported(strategy, matrix, sample.populations(), List.copyOf(ids), List.copyOf(notes));
        }

        private void population(XmlNode pop, String id, String parentId) {
            XmlNode g = shape(source, pop);
            String name = pop.attr("", "name");
            String inside = g.attr("", "eventsInside");
            boolean complement = inside != null && inside.strip().equals("0");
            String shapeId = complement ? id + "_shape" : id;
            String shapeParent = complement ? null : parentId;
            Gate gate = switch (g.local) {
                case "RectangleGate" -> rectangle(g, shapeId, shapeParent, name);
                case "PolygonGate" -> polygon(g, shapeId, shapeParent, name);
                case "EllipsoidGate" -> ellipse(g, shapeId, shapeParent, name);
                default -> throw CikqcException.input(source + ":" + g.line + ": population '" + name + "': FlowJo gate "
                        + "type gating:" + g.local + " is not supported (rectangle, polygon, ellipse, quadrant as "
                        + "rectangles, and/or/not nodes are)");
            };
            gates.add(gate);
            if (complement) {
                gates.add(new BooleanGate(id, parentId, BooleanGate.Operator.NOT, List.of(BooleanGate.Operand.of(shapeId))));
            }
        }

        private void booleanNode(XmlNode node, String id, String parentId) {
            BooleanGate.Operator op = switch (node.local) {
                case "AndNode" -> BooleanGate.Operator.AND;
                case "OrNode" -> BooleanGate.Operator.OR;
                default -> BooleanGate.Operator.NOT;
            };
            List<BooleanGate.Operand> operands = new ArrayList<>();
            XmlNode deps = node.child("", "Dependents");
            if (deps != null) {
                for (XmlNode d : deps.children("", "Dependent")) {
                    String ref = d.attr("", "name");
                    String target = ref == null ? null : idOfPath.get(ref.startsWith("/") ? ref : "/" + ref);
                    if (target == null) {
                        throw CikqcException.input(source + ":" + d.line + ": " + node.local + " '" + node.attr("", "name")
                                + "' depends on '" + ref + "', which is not a population of sample " + sample.label());
                    }
                    operands.add(BooleanGate.Operand.of(target));
                }
            }
            int need = op == BooleanGate.Operator.NOT ? 1 : 2;
            if (operands.size() < need) {
                throw CikqcException.input(source + ":" + node.line + ": " + node.local + " '" + node.attr("", "name")
                        + "' has " + operands.size() + " dependent(s), needs " + (need == 1 ? "one" : "at least two"));
            }
            if (op == BooleanGate.Operator.NOT && operands.size() > 1) operands = List.of(operands.get(0));
            gates.add(new BooleanGate(id, parentId, op, operands));
        }

        // -- gates ------------------------------------------------------------------------------------------------

        private Gate rectangle(XmlNode g, String id, String parentId, String name) {
            List<RectangleGate.Range> ranges = new ArrayList<>();
            for (XmlNode d : g.children(GATING_NS, "dimension")) {
                String channel = channelName(d, name);
                double min = bound(d, "min", name);
                double max = bound(d, "max", name);
                Transform display = display(channel, d, name, false);
                if (display != null) {
                    double bottom = display.inverse(0.0);
                    double top = display.inverse(1.0);
                    if (Double.isFinite(min) && Double.isFinite(bottom) && min <= bottom) min = Double.NEGATIVE_INFINITY;
                    if (Double.isFinite(max) && Double.isFinite(top) && max >= top) max = Double.POSITIVE_INFINITY;
                }
                ranges.add(new RectangleGate.Range(dimension(channel, null), min, max));
            }
            if (ranges.isEmpty()) throw CikqcException.input(source + ":" + g.line + ": rectangle '" + name + "' has no dimension");
            return new RectangleGate(id, parentId, ranges);
        }

        private Gate polygon(XmlNode g, String id, String parentId, String name) {
            Plane pl = plane(g, "polygon", name);
            List<PolygonGate.Vertex> vs = new ArrayList<>();
            for (XmlNode v : g.children(GATING_NS, "vertex")) {
                double[] xy = xy(v, "polygon", name);
                vs.add(new PolygonGate.Vertex(pl.tx().apply(xy[0]), pl.ty().apply(xy[1])));
            }
            if (vs.size() < 3) {
                throw CikqcException.input(source + ":" + g.line + ": polygon '" + name + "' has " + vs.size()
                        + " vertices, needs at least 3");
            }
            return new PolygonGate(id, parentId, pl.x(), pl.y(), vs);
        }

        /** FlowJo's ellipse: foci and edge points on the 256-unit display grid. */
        private Gate ellipse(XmlNode g, String id, String parentId, String name) {
            Plane pl = plane(g, "ellipse", name);
            double[][] foci = points(g, "foci", 2, name);
            double[][] edge = points(g, "edge", 4, name);
            double[][] e = ellipseOnDisplay(foci, edge);
            if (e == null) {
                throw CikqcException.input(source + ":" + g.line + ": ellipse '" + name + "': its foci and edge points do "
                        + "not describe an ellipse");
            }
            return new EllipsoidGate(id, parentId, List.of(pl.x(), pl.y()), e[0], new double[][] {e[1], e[2]}, 1.0);
        }

        /** The two display axes of a polygon or ellipse. */
        private record Plane(FcsDimension x, FcsDimension y, Transform tx, Transform ty) { }

        private Plane plane(XmlNode g, String kind, String name) {
            List<XmlNode> dims = g.children(GATING_NS, "dimension");
            if (dims.size() != 2) {
                throw CikqcException.input(source + ":" + g.line + ": " + kind + " '" + name + "' has " + dims.size()
                        + " dimensions, expected 2");
            }
            String cx = channelName(dims.get(0), name);
            String cy = channelName(dims.get(1), name);
            Transform tx = display(cx, dims.get(0), name, true);
            Transform ty = display(cy, dims.get(1), name, true);
            return new Plane(dimension(cx, tx), dimension(cy, ty), tx, ty);
        }

        private double[][] points(XmlNode g, String element, int count, String name) {
            XmlNode holder = g.child(GATING_NS, element);
            List<XmlNode> vs = holder == null ? List.of() : holder.children(GATING_NS, "vertex");
            if (vs.size() != count) {
                throw CikqcException.input(source + ":" + g.line + ": ellipse '" + name + "' has " + vs.size() + " "
                        + element + " points, expected " + count);
            }
            double[][] out = new double[count][];
            for (int i = 0; i < count; i++) out[i] = xy(vs.get(i), "ellipse", name);
            return out;
        }

        /** A gating:vertex's two coordinates. */
        private double[] xy(XmlNode vertex, String kind, String name) {
            List<XmlNode> cs = vertex.children(GATING_NS, "coordinate");
            if (cs.size() != 2) {
                throw CikqcException.input(source + ":" + vertex.line + ": " + kind + " '" + name + "': a point has "
                        + cs.size() + " coordinates, expected 2");
            }
            return new double[] {coordinate(cs.get(0), name), coordinate(cs.get(1), name)};
        }

        // -- dimensions and transforms -----------------------------------------------------------------------------

        /** The data set channel a gate dimension names, with the compensation prefix kept (see {@link #dimension}). */
        private String channelName(XmlNode dim, String gateName) {
            XmlNode fd = dim.child(DATATYPES_NS, "fcs-dimension");
            String n = fd == null ? null : fd.attr(DATATYPES_NS, "name");
            if (n == null || n.isEmpty()) {
                throw CikqcException.input(source + ":" + dim.line + ": gate '" + gateName + "': a dimension without "
                        + "data-type:fcs-dimension name (ratio dimensions are not read from workspaces)");
            }
            return n;
        }

        /** The name with the matrix prefix/suffix removed when it marks a compensated detector, else null. */
        private String uncompensatedName(String name) {
            if (prefix.isEmpty() && suffix.isEmpty()) return null;
            if (matrix == null && channels.contains(name)) return null; // e.g. a FlowJo export's own Comp- channel
            if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length() <= prefix.length() + suffix.length()) {
                return null;
            }
            String bare = name.substring(prefix.length(), name.length() - suffix.length());
            if (matrix != null && !matrix.detectors().contains(bare) && !matrix.detectors().contains(channel(bare))) return null;
            return bare;
        }

        private FcsDimension dimension(String name, Transform display) {
            String bare = uncompensatedName(name);
            String ref = bare == null ? Dimension.UNCOMPENSATED : Dimension.FCS;
            if (bare != null && matrix == null && !fileMatrixNoted) {
                fileMatrixNoted = true;
                notes.add("sample " + sample.label() + " carries no spillover matrix; '" + prefix + "' dimensions use the"
                        + " data set's own $SPILLOVER");
            }
            String channel = channel(bare == null ? name : bare);
            return new FcsDimension(channel, ref, display == null ? null : transformationId(name, display));
        }

        /** A $PnN of the data set for a FlowJo parameter name ('/' is written '_' by FlowJo). */
        private String channel(String name) {
            if (channels.contains(name)) return name;
            for (String c : channels) if (c.replace('/', '_').equals(name)) return c;
            return name;
        }

        private String transformationId(String name, Transform display) {
            for (Map.Entry<String, ScaleTransformation> e : transformations.entrySet()) {
                if (e.getValue().transform().equals(display)) return e.getKey();
            }
            String id = "fjT" + (transformations.size() + 1);
            transformations.put(id, new ScaleTransformation(id, display));
            return id;
        }

        /**
         * The display transform of a channel, output clipped to [0, 1] (FlowJo piles off-scale events on the axis),
         * or null when {@code required} is false and neither a transform nor {@code $PnR} is known.
         */
        private Transform display(String name, XmlNode where, String gateName, boolean required) {
            String key = name;
            if (displayCache.containsKey(key)) return displayCache.get(key);
            XmlNode t = transformOf.get(name);
            String bare = uncompensatedName(name);
            if (t == null && bare != null) t = transformOf.get(bare);
            Transform inner;
            if (t != null && !required && !SUPPORTED_TRANSFORMS.contains(t.local)) {
                notes.add("channel '" + name + "' has FlowJo transform '" + t.local + "', which cikqc does not read: "
                        + "rectangles on it keep their bounds as drawn, even at the display's edge");
                displayCache.put(key, null);
                return null;
            }
            if (t != null) {
                inner = transform(t);
            } else {
                String range = rangeOf(bare != null ? bare : name);
                double r = range == null ? Double.NaN : parse(range);
                if (!(r > 0) || !Double.isFinite(r)) {
                    if (!required) {
                        displayCache.put(key, null);
                        return null;
                    }
                    throw CikqcException.input(source + ":" + where.line + ": gate '" + gateName + "': channel '" + name
                            + "' has no display transform in sample " + sample.label() + " and no $PnR to assume a "
                            + "linear one");
                }
                inner = new LinearTransform(r, 0);
            }
            Transform d = new BoundedTransform(inner, 0.0, 1.0);
            displayCache.put(key, d);
            return d;
        }

        private String rangeOf(String name) {
            for (Map.Entry<String, String> e : keywords.entrySet()) {
                String k = e.getKey();
                if (k.startsWith("$P") && k.endsWith("N") && e.getValue() != null
                        && (e.getValue().equals(name) || e.getValue().replace('/', '_').equals(name))) {
                    return keywords.get(k.substring(0, k.length() - 1) + "R");
                }
            }
            return null;
        }

        private Transform transform(XmlNode t) {
            String what = "transforms:" + t.local + " of '" + t.child(DATATYPES_NS, "parameter").attr(DATATYPES_NS, "name") + "'";
            try {
                return switch (t.local) {
                    case "linear" -> {
                        double min = num(t, "minRange", 0);
                        double max = num(t, "maxRange", 262144);
                        yield new LinearTransform(max, -min);
                    }
                    case "log" -> {
                        double offset = num(t, "offset", 1);
                        double decades = num(t, "decades", 4.5);
                        yield new LogTransform(offset * Math.pow(10, decades), decades);
                    }
                    case "fasinh" -> new AsinhTransform(num(t, "T", 262144), num(t, "M", 4.5), num(t, "A", 0));
                    case "logicle" -> new LogicleTransform(num(t, "T", 262144), num(t, "W", 0.5), num(t, "M", 4.5),
                            num(t, "A", 0));
                    case "biex" -> new FlowJoBiexTransform(num(t, "width", -10), num(t, "neg", 0), num(t, "pos", 4.418539922),
                            num(t, "maxRange", 262144));
                    default -> throw CikqcException.input("FlowJo transform type '" + t.local + "' is not supported "
                            + "(linear, log, fasinh, logicle and biex are)");
                };
            } catch (CikqcException e) {
                throw CikqcException.input(source + ":" + t.line + ": " + what + ": " + e.getMessage());
            }
        }

        private double num(XmlNode t, String attr, double dflt) {
            String v = t.attr(TRANSFORMS_NS, attr);
            if (v == null) v = t.attr("", attr);
            if (v == null || v.isBlank()) return dflt;
            double d = parse(v);
            if (!Double.isFinite(d)) throw CikqcException.input(attr + "=\"" + v + "\" is not a number");
            return d;
        }

        private double bound(XmlNode dim, String which, String gateName) {
            String v = dim.attr(GATING_NS, which);
            if (v == null) return which.equals("min") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            double d = parse(v);
            if (Double.isNaN(d)) {
                throw CikqcException.input(source + ":" + dim.line + ": gate '" + gateName + "': gating:" + which + "=\"" + v
                        + "\" is not a number");
            }
            return d;
        }

        private double coordinate(XmlNode c, String gateName) {
            String v = c.attr(DATATYPES_NS, "value");
            double d = v == null ? Double.NaN : parse(v);
            if (!Double.isFinite(d)) {
                throw CikqcException.input(source + ":" + c.line + ": gate '" + gateName + "': coordinate value \"" + v
                        + "\" is not a finite number");
            }
            return d;
        }

        private static double parse(String v) {
            try {
                return Double.parseDouble(v.strip());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        // -- compensation ------------------------------------------------------------------------------------------

        private SpilloverMatrix matrix(XmlNode m) {
            String name = m.attr("", "name") == null ? "spillover" : m.attr("", "name");
            String where = source + ":" + m.line + ": spillover matrix '" + name + "' of sample " + sample.label();
            if ("1".equals(m.attr("", "spectral"))) {
                throw CikqcException.input(where + ": spectral (unmixing) matrices are not read from workspaces");
            }
            prefix = m.attr("", "prefix") == null ? "" : m.attr("", "prefix");
            suffix = m.attr("", "suffix") == null ? "" : m.attr("", "suffix");
            XmlNode params = m.child(DATATYPES_NS, "parameters");
            List<String> detectors = new ArrayList<>();
            if (params != null) {
                for (XmlNode p : params.children(DATATYPES_NS, "parameter")) detectors.add(p.attr(DATATYPES_NS, "name"));
            }
            List<XmlNode> rows = m.children(TRANSFORMS_NS, "spillover");
            if (detectors.isEmpty()) {
                for (XmlNode r : rows) detectors.add(r.attr(DATATYPES_NS, "parameter"));
            }
            if (rows.size() != detectors.size()) {
                throw CikqcException.input(where + ": " + rows.size() + " rows for " + detectors.size() + " parameters");
            }
            List<String> sources = new ArrayList<>();
            double[][] values = new double[rows.size()][];
            for (int r = 0; r < rows.size(); r++) {
                XmlNode row = rows.get(r);
                sources.add(row.attr(DATATYPES_NS, "parameter") == null ? detectors.get(r) : row.attr(DATATYPES_NS, "parameter"));
                List<XmlNode> cs = row.children(TRANSFORMS_NS, "coefficient");
                if (cs.size() != detectors.size()) {
                    throw CikqcException.input(source + ":" + row.line + ": spillover row '" + sources.get(r) + "' has "
                            + cs.size() + " coefficients, expected " + detectors.size());
                }
                values[r] = new double[detectors.size()];
                for (int c = 0; c < cs.size(); c++) {
                    XmlNode co = cs.get(c);
                    String det = co.attr(DATATYPES_NS, "parameter");
                    int col = det == null ? c : detectors.indexOf(det);
                    if (col < 0) {
                        throw CikqcException.input(source + ":" + co.line + ": coefficient for '" + det
                                + "', which is not a parameter of the matrix");
                    }
                    String v = co.attr(TRANSFORMS_NS, "value");
                    double d = v == null ? Double.NaN : parse(v);
                    if (!Double.isFinite(d)) {
                        throw CikqcException.input(source + ":" + co.line + ": coefficient \"" + v + "\" is not a finite number");
                    }
                    values[r][col] = d;
                }
            }
            List<String> dets = new ArrayList<>();
            for (String d : detectors) dets.add(channel(d));
            List<String> srcs = new ArrayList<>();
            for (String s : sources) srcs.add(channel(s));
            return new SpilloverMatrix(srcs, dets, values, "FlowJo workspace " + source + ", matrix '" + name + "'");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ellipse geometry

    /**
     * FlowJo's ellipse (foci, four edge points; 256-unit display grid) on the [0, 1] display scale: {mean, covariance
     * row 1, covariance row 2} for distanceSquare 1, or null when the points do not describe an ellipse. The centre
     * is the midpoint of the foci; the two edge points farthest along the focal line give the semi-major axis a; the
     * semi-minor axis is sqrt(a² - c²) with c half the focal distance (the edge points are rounded to whole display
     * units, the foci are not), or, for a circle (coincident foci), the mean distance of the other two edge points.
     */
    static double[][] ellipseOnDisplay(double[][] foci, double[][] edge) {
        double cx = (foci[0][0] + foci[1][0]) / 2;
        double cy = (foci[0][1] + foci[1][1]) / 2;
        double fx = foci[1][0] - foci[0][0];
        double fy = foci[1][1] - foci[0][1];
        double c = Math.hypot(fx, fy) / 2;
        double ux;
        double uy;
        if (c > 1e-9) {
            ux = fx / (2 * c);
            uy = fy / (2 * c);
        } else {
            double dx = edge[0][0] - cx;
            double dy = edge[0][1] - cy;
            double r = Math.hypot(dx, dy);
            if (!(r > 0)) return null;
            ux = dx / r;
            uy = dy / r;
        }
        double[] along = new double[4];
        Integer[] order = {0, 1, 2, 3};
        for (int i = 0; i < 4; i++) along[i] = Math.abs((edge[i][0] - cx) * ux + (edge[i][1] - cy) * uy);
        java.util.Arrays.sort(order, (p, q) -> Double.compare(along[q], along[p]));
        double a = (along[order[0]] + along[order[1]]) / 2;
        double b;
        if (c > 1e-9) {
            if (!(a > c)) return null;
            b = Math.sqrt(a * a - c * c);
        } else {
            double d2 = Math.abs(-(edge[order[2]][0] - cx) * uy + (edge[order[2]][1] - cy) * ux);
            double d3 = Math.abs(-(edge[order[3]][0] - cx) * uy + (edge[order[3]][1] - cy) * ux);
            b = (d2 + d3) / 2;
        }
        if (!(a > 0) || !(b > 0) || !Double.isFinite(a) || !Double.isFinite(b)) return null;
        double s = 256.0;
        double a2 = a * a / (s * s);
        double b2 = b * b / (s * s);
        double sxx = a2 * ux * ux + b2 * uy * uy;
        double syy = a2 * uy * uy + b2 * ux * ux;
        double sxy = (a2 - b2) * ux * uy;
        return new double[][] {{cx / s, cy / s}, {sxx, sxy}, {sxy, syy}};
    }
}
