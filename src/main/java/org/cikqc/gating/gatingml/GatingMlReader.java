package org.cikqc.gating.gatingml;

import static org.cikqc.gating.gatingml.GatingMlSchema.DATATYPES_NS;
import static org.cikqc.gating.gatingml.GatingMlSchema.GATING_NS;
import static org.cikqc.gating.gatingml.GatingMlSchema.TRANSFORMS_NS;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.gating.BooleanGate;
import org.cikqc.gating.CompensationMatrix;
import org.cikqc.gating.Dimension;
import org.cikqc.gating.EllipsoidGate;
import org.cikqc.gating.FcsDimension;
import org.cikqc.gating.Gate;
import org.cikqc.gating.GatingException;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.gating.PolygonGate;
import org.cikqc.gating.QuadrantGate;
import org.cikqc.gating.RatioDimension;
import org.cikqc.gating.RatioTransformation;
import org.cikqc.gating.RectangleGate;
import org.cikqc.gating.ScaleTransformation;
import org.cikqc.gating.Transformation;
import org.cikqc.transform.AsinhTransform;
import org.cikqc.transform.BoundedTransform;
import org.cikqc.transform.HyperlogTransform;
import org.cikqc.transform.LinearTransform;
import org.cikqc.transform.LogTransform;
import org.cikqc.transform.LogicleTransform;
import org.cikqc.transform.RatioTransform;
import org.cikqc.transform.Transform;
import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads a Gating-ML 2.0 document into a {@link GatingStrategy}.
 *
 * <p>The parser is hardened: DOCTYPE declarations are refused (so no entity expansion and no external entities),
 * external DTD and schema access is disabled, secure processing is on, XInclude is off. The document is validated
 * against the official Gating-ML 2.0 schemas bundled with cikqc (no network). Every error is a
 * {@link CikqcException} of kind INVALID_INPUT with a one-line message {@code name:line: what}; reference errors
 * name the gate and the reference.
 *
 * <p>Supported: RectangleGate, PolygonGate, EllipsoidGate, QuadrantGate, BooleanGate (and/or/not,
 * use-as-complement), parent_id; transformations flin, flog, fasinh, logicle, hyperlog, fratio with boundMin/boundMax;
 * spectrumMatrix (matrix-inverted-already); fcs-dimension and new-dimension with compensation-ref and
 * transformation-ref. custom_info is ignored.
 */
public final class GatingMlReader {
    /** Larger documents are refused (the compliance files are below 40 kB; a strategy has at most thousands of gates). */
    public static final long MAX_BYTES = 64L << 20;
    /**
     * The most XML elements a document may have: each is kept as a node while the strategy is built, so a 32 MB
     * polygon of 280,000 vertices (840,000 elements) ran out of memory at -Xmx256m. 300,000 is 100,000 polygon
     * vertices, or 2,000 gates of 50 vertices.
     */
    public static final int MAX_ELEMENTS = 300_000;
    /**
     * The most gates a document may define: a polygon keeps a 68 KB cell index, and 10,000 polygons ran out of
     * memory at -Xmx512m. A release template has tens.
     */
    public static final int MAX_GATES = 2_000;

    private GatingMlReader() { }

    /** Reads a file; messages are prefixed with its file name. */
    public static GatingStrategy read(Path file) { return read(file, List.of()); }

    /**
     * Reads a file, adding matrices defined outside it (e.g. a spillover file given on the command line) so that
     * its compensation-refs may name them; an id the document also uses is an error.
     */
    public static GatingStrategy read(Path file, List<CompensationMatrix> external) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        byte[] bytes;
        try {
            bytes = org.cikqc.common.RegularFiles.readAll(file, MAX_BYTES, "Gating-ML document");
        } catch (NoSuchFileException e) {
            throw CikqcException.input(name + ": no such file");
        } catch (IOException e) {
            throw CikqcException.inputFailed(name + ": cannot read", e);
        }
        return read(new ByteArrayInputStream(bytes), name, external);
    }

    /** Reads a document from bytes; {@code sourceName} prefixes messages. */
    public static GatingStrategy read(byte[] xml, String sourceName) {
        return read(new ByteArrayInputStream(xml), sourceName);
    }

    /** Reads a document from a stream (not closed); {@code sourceName} prefixes messages. */
    public static GatingStrategy read(InputStream in, String sourceName) { return read(in, sourceName, List.of()); }

    /** Reads a document from a stream (not closed) plus external matrices (see {@link #read(Path, List)}). */
    public static GatingStrategy read(InputStream in, String sourceName, List<CompensationMatrix> external) {
        Parsed p = parse(in, sourceName);
        return new Builder(p.root, sourceName).build(p.idErrors, external);
    }

    /**
     * Validates a document against the bundled Gating-ML 2.0 schemas without building a strategy; throws the first
     * problem as described in the class comment.
     */
    public static void validate(byte[] xml, String sourceName) {
        Parsed p = parse(new ByteArrayInputStream(xml), sourceName);
        if (!p.idErrors.isEmpty()) throw located(sourceName, p.idErrors.get(0));
    }

    private record Parsed(XmlNode root, List<SAXParseException> idErrors) { }

    private static Parsed parse(InputStream in, String sourceName) {
        SAXParser parser = newParser();
        TreeBuilder tree = new TreeBuilder();
        try {
            parser.parse(new InputSource(in), tree);
        } catch (SAXParseException e) {
            throw located(sourceName, e);
        } catch (SAXException e) {
            throw CikqcException.input(sourceName + ": " + clean(e.getMessage()));
        } catch (IOException e) {
            throw readFailed(sourceName, e);
        }
        List<SAXParseException> idErrors = new ArrayList<>();
        for (SAXParseException e : tree.errors) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.startsWith("cvc-id.")) idErrors.add(e);
            else throw located(sourceName, e);
        }
        if (tree.root == null) throw CikqcException.input(sourceName + ": empty document");
        return new Parsed(tree.root, idErrors);
    }

    static SAXParser newParser() { return newParser(true); }

    /** A hardened parser (see the class comment), validating against the Gating-ML schemas when {@code validate}. */
    static SAXParser newParser(boolean validate) {
        try {
            SAXParserFactory f = SAXParserFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setXIncludeAware(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            if (validate) f.setSchema(GatingMlSchema.schema());
            SAXParser p = f.newSAXParser();
            p.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            p.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return p;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot configure a hardened XML parser: " + org.cikqc.common.IoErrors.describe(e), e);
        }
    }

    static CikqcException located(String sourceName, SAXParseException e) {
        String where = e.getLineNumber() > 0 ? sourceName + ":" + e.getLineNumber() : sourceName;
        String m = clean(e.getMessage());
        if (m.startsWith("cvc-")) m = "not valid Gating-ML 2.0: " + m.substring(m.indexOf(' ') + 1);
        return new CikqcException(CikqcException.Kind.INVALID_INPUT, where + ": " + m, e);
    }

    /**
     * An XML document the parser could not decode: an encoding it does not know (named by the XML declaration, so
     * line 1) or bytes that are not valid in the document's encoding are input errors; anything else is a failed read.
     */
    static CikqcException readFailed(String sourceName, IOException e) {
        if (e instanceof java.io.UnsupportedEncodingException) {
            return CikqcException.input(sourceName + ":1: unsupported encoding '"
                    + org.cikqc.common.Problem.bounded(String.valueOf(e.getMessage()), 80) + "' in the XML declaration");
        }
        if (e instanceof java.io.CharConversionException) {
            return CikqcException.input(sourceName + ": not valid in the document's encoding: " + clean(e.getMessage()));
        }
        return CikqcException.inputFailed(sourceName + ": cannot read", e);
    }

    /** One line; Gating-ML namespace URIs shortened to their usual prefixes. */
    static String clean(String message) {
        if (message == null) return "malformed XML";
        String m = message.replace("\"" + GATING_NS + "\":", "gating:")
                .replace("\"" + TRANSFORMS_NS + "\":", "transforms:")
                .replace("\"" + DATATYPES_NS + "\":", "data-type:");
        if (m.contains("DOCTYPE is disallowed")) {
            m = "DOCTYPE declarations are not allowed (refused for security: no entities, no external files)";
        }
        return m.replaceAll("\\s+", " ").strip();
    }

    /** SAX handler building an {@link XmlNode} tree with line numbers and collecting validation errors. */
    private static final class TreeBuilder extends DefaultHandler {
        final List<SAXParseException> errors = new ArrayList<>();
        private final Deque<XmlNode> stack = new ArrayDeque<>();
        private Locator locator;
        XmlNode root;

        @Override
        public void setDocumentLocator(Locator locator) { this.locator = locator; }

        private int elements;

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (++elements > MAX_ELEMENTS) {
                throw new SAXParseException("more than " + String.format(java.util.Locale.ROOT, "%,d", MAX_ELEMENTS)
                        + " XML elements (the most a Gating-ML document may have here)", locator);
            }
            XmlNode n = new XmlNode(uri, localName, locator == null ? -1 : locator.getLineNumber());
            for (int i = 0; i < atts.getLength(); i++) n.attribute(atts.getURI(i), atts.getLocalName(i), atts.getValue(i));
            if (stack.isEmpty()) root = n;
            else stack.peek().children.add(n);
            stack.push(n);
        }

        @Override
        public void endElement(String uri, String localName, String qName) { stack.pop(); }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (!stack.isEmpty()) stack.peek().appendText(ch, start, length);
        }

        @Override
        public void warning(SAXParseException e) {
            // schema warnings do not make a document invalid; nothing to report
        }

        @Override
        public void error(SAXParseException e) { errors.add(e); }

        @Override
        public void fatalError(SAXParseException e) throws SAXException { throw e; }
    }

    /** Builds the model from a validated tree. */
    private static final class Builder {
        private final XmlNode root;
        private final String source;
        private final Map<String, Integer> lineOfId = new HashMap<>();

        Builder(XmlNode root, String source) {
            this.root = root;
            this.source = source;
        }

        GatingStrategy build(List<SAXParseException> idErrors, List<CompensationMatrix> external) {
            if (!root.is(GATING_NS, "Gating-ML")) throw CikqcException.input(source + ":" + root.line + ": not a Gating-ML 2.0 document");
            List<Gate> gates = new ArrayList<>();
            List<Transformation> transformations = new ArrayList<>();
            List<CompensationMatrix> matrices = new ArrayList<>();
            int gateCount = 0;
            for (XmlNode n : root.children) {
                if (n.ns.equals(GATING_NS) && ++gateCount > MAX_GATES) {
                    throw at(n.line, "more than " + String.format(java.util.Locale.ROOT, "%,d", MAX_GATES)
                            + " gates (the most a Gating-ML document may define here)");
                }
                try {
                    if (n.is(TRANSFORMS_NS, "transformation")) transformations.add(transformation(n));
                    else if (n.is(TRANSFORMS_NS, "spectrumMatrix")) matrices.add(matrix(n));
                    else if (n.ns.equals(GATING_NS)) gates.add(gate(n));
                } catch (GatingException e) {
                    throw at(n.line, e.getMessage());
                }
            }
            matrices.addAll(external);
            GatingStrategy s;
            try {
                s = GatingStrategy.of(gates, transformations, matrices);
            } catch (GatingException e) {
                Integer line = e.subject() == null ? null : lineOfId.get(e.subject());
                throw line == null ? CikqcException.input(source + ": " + e.getMessage()) : at(line, e.getMessage());
            }
            if (!idErrors.isEmpty()) throw located(source, idErrors.get(0));
            return s.withSourceLines(lineOfId);
        }

        private CikqcException at(int line, String message) {
            return CikqcException.input(source + ":" + line + ": " + message);
        }

        private void remember(String id, int line) { lineOfId.putIfAbsent(id, line); }

        private Gate gate(XmlNode n) {
            String id = n.attr(GATING_NS, "id");
            String parent = n.attr(GATING_NS, "parent_id");
            remember(id, n.line);
            switch (n.local) {
                case "RectangleGate": {
                    List<RectangleGate.Range> ranges = new ArrayList<>();
                    for (XmlNode d : n.children(GATING_NS, "dimension")) {
                        String min = d.attr(GATING_NS, "min");
                        String max = d.attr(GATING_NS, "max");
                        double lo = min == null ? Double.NEGATIVE_INFINITY : notNaN(d, id, number(d, min, "min"), "min");
                        double hi = max == null ? Double.POSITIVE_INFINITY : notNaN(d, id, number(d, max, "max"), "max");
                        Dimension dim = dimension(d);
                        if (!(lo < hi)) {
                            // [min, max) with min >= max holds no value: a gate that can never hold an event is a mistake
                            throw at(d.line, "gate '" + id + "': dimension " + (ranges.size() + 1) + " (" + dim.label()
                                    + "): min " + shown(min) + " is not below max " + shown(max)
                                    + ", so the range [min, max) holds no event");
                        }
                        ranges.add(new RectangleGate.Range(dim, lo, hi));
                    }
                    return new RectangleGate(id, parent, ranges);
                }
                case "PolygonGate": {
                    List<XmlNode> dims = n.children(GATING_NS, "dimension");
                    List<PolygonGate.Vertex> vertices = new ArrayList<>();
                    for (XmlNode v : n.children(GATING_NS, "vertex")) {
                        List<XmlNode> c = v.children(GATING_NS, "coordinate");
                        double x = value(c.get(0));
                        double y = value(c.get(1));
                        if (!Double.isFinite(x) || !Double.isFinite(y)) throw at(v.line, "gate '" + id + "': vertex must be finite");
                        vertices.add(new PolygonGate.Vertex(x, y));
                    }
                    return new PolygonGate(id, parent, dimension(dims.get(0)), dimension(dims.get(1)), vertices);
                }
                case "EllipsoidGate": {
                    List<Dimension> dims = new ArrayList<>();
                    for (XmlNode d : n.children(GATING_NS, "dimension")) dims.add(dimension(d));
                    List<XmlNode> mc = n.child(GATING_NS, "mean").children(GATING_NS, "coordinate");
                    double[] mean = new double[mc.size()];
                    for (int i = 0; i < mean.length; i++) mean[i] = value(mc.get(i));
                    List<XmlNode> rows = n.child(GATING_NS, "covarianceMatrix").children(GATING_NS, "row");
                    double[][] cov = new double[rows.size()][];
                    for (int i = 0; i < cov.length; i++) {
                        List<XmlNode> e = rows.get(i).children(GATING_NS, "entry");
                        cov[i] = new double[e.size()];
                        for (int j = 0; j < e.size(); j++) cov[i][j] = value(e.get(j));
                    }
                    double ds = value(n.child(GATING_NS, "distanceSquare"));
                    return new EllipsoidGate(id, parent, dims, mean, cov, ds);
                }
                case "QuadrantGate": {
                    List<QuadrantGate.Divider> dividers = new ArrayList<>();
                    for (XmlNode d : n.children(GATING_NS, "divider")) {
                        String did = d.attr(GATING_NS, "id");
                        remember(did, d.line);
                        List<Double> values = new ArrayList<>();
                        for (XmlNode v : d.children(GATING_NS, "value")) values.add(number(v, v.text(), "value"));
                        dividers.add(new QuadrantGate.Divider(did, dimension(d), values));
                    }
                    List<QuadrantGate.Quadrant> quadrants = new ArrayList<>();
                    for (XmlNode q : n.children(GATING_NS, "Quadrant")) {
                        String qid = q.attr(GATING_NS, "id");
                        remember(qid, q.line);
                        List<QuadrantGate.Position> positions = new ArrayList<>();
                        Map<String, XmlNode> placed = new HashMap<>();
                        for (XmlNode p : q.children(GATING_NS, "position")) {
                            String ref = p.attr(GATING_NS, "divider_ref");
                            XmlNode before = ref == null ? null : placed.putIfAbsent(ref, p);
                            if (before != null) {
                                // two positions on one divider: contradictory, or at best redundant (none is allowed:
                                // the compliance suite pins that the quadrant then spans every interval of that divider)
                                throw at(p.line, "quadrant '" + qid + "' of gate '" + id + "': a second position on divider '"
                                        + ref + "' (location " + shown(p.attr(GATING_NS, "location")) + "; the first, line "
                                        + before.line + ", has " + shown(before.attr(GATING_NS, "location"))
                                        + "): a quadrant has at most one position on a divider");
                            }
                            positions.add(new QuadrantGate.Position(ref,
                                    notNaN(p, id, number(p, p.attr(GATING_NS, "location"), "location"), "location")));
                        }
                        quadrants.add(new QuadrantGate.Quadrant(qid, positions));
                    }
                    return new QuadrantGate(id, parent, dividers, quadrants);
                }
                case "BooleanGate": {
                    for (XmlNode op : n.children) {
                        BooleanGate.Operator operator;
                        if (op.is(GATING_NS, "and")) operator = BooleanGate.Operator.AND;
                        else if (op.is(GATING_NS, "or")) operator = BooleanGate.Operator.OR;
                        else if (op.is(GATING_NS, "not")) operator = BooleanGate.Operator.NOT;
                        else continue;
                        List<BooleanGate.Operand> operands = new ArrayList<>();
                        for (XmlNode r : op.children(GATING_NS, "gateReference")) {
                            String c = r.attr(GATING_NS, "use-as-complement");
                            boolean complement = c != null && (c.strip().equals("true") || c.strip().equals("1"));
                            operands.add(new BooleanGate.Operand(r.attr(GATING_NS, "ref"), complement));
                        }
                        return new BooleanGate(id, parent, operator, operands);
                    }
                    throw at(n.line, "gate '" + id + "': boolean gate without and/or/not");
                }
                default:
                    throw at(n.line, "unsupported element gating:" + n.local);
            }
        }

        private Dimension dimension(XmlNode d) {
            String comp = d.attr(GATING_NS, "compensation-ref");
            String tr = d.attr(GATING_NS, "transformation-ref");
            XmlNode fcs = d.child(DATATYPES_NS, "fcs-dimension");
            if (fcs != null) return new FcsDimension(fcs.attr(DATATYPES_NS, "name"), comp, tr);
            XmlNode nd = d.child(DATATYPES_NS, "new-dimension");
            if (nd != null) return new RatioDimension(nd.attr(DATATYPES_NS, "transformation-ref"), comp, tr);
            throw at(d.line, "dimension without fcs-dimension or new-dimension");
        }

        private Transformation transformation(XmlNode n) {
            String id = n.attr(TRANSFORMS_NS, "id");
            remember(id, n.line);
            String bmin = n.attr(TRANSFORMS_NS, "boundMin");
            String bmax = n.attr(TRANSFORMS_NS, "boundMax");
            double lo = bmin == null ? Double.NEGATIVE_INFINITY : number(n, bmin, "boundMin");
            double hi = bmax == null ? Double.POSITIVE_INFINITY : number(n, bmax, "boundMax");
            if (lo > hi) throw at(n.line, "transformation '" + id + "': boundMin " + bmin + " > boundMax " + bmax);
            XmlNode f = null;
            for (XmlNode c : n.children) if (c.ns.equals(TRANSFORMS_NS)) f = c;
            if (f == null) throw at(n.line, "transformation '" + id + "': no function");
            try {
                if (f.local.equals("fratio")) {
                    List<XmlNode> dims = f.children(DATATYPES_NS, "fcs-dimension");
                    RatioTransform r = new RatioTransform(p(f, "A"), p(f, "B"), p(f, "C"));
                    if (Double.isNaN(lo) || Double.isNaN(hi)) throw at(n.line, "transformation '" + id + "': NaN bound");
                    return new RatioTransformation(id, r, dims.get(0).attr(DATATYPES_NS, "name"),
                            dims.get(1).attr(DATATYPES_NS, "name"), lo, hi);
                }
                Transform t = switch (f.local) {
                    case "flin" -> new LinearTransform(p(f, "T"), p(f, "A"));
                    case "flog" -> new LogTransform(p(f, "T"), p(f, "M"));
                    case "fasinh" -> new AsinhTransform(p(f, "T"), p(f, "M"), p(f, "A"));
                    case "logicle" -> new LogicleTransform(p(f, "T"), p(f, "W"), p(f, "M"), p(f, "A"));
                    case "hyperlog" -> new HyperlogTransform(p(f, "T"), p(f, "W"), p(f, "M"), p(f, "A"));
                    default -> throw at(f.line, "transformation '" + id + "': unsupported function " + f.local);
                };
                if (bmin != null || bmax != null) t = new BoundedTransform(t, lo, hi);
                return new ScaleTransformation(id, t);
            } catch (GatingException e) {
                throw at(f.line, e.getMessage());
            } catch (CikqcException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(source + ":")) throw e;
                throw at(f.line, "transformation '" + id + "': " + e.getMessage());
            }
        }

        private double p(XmlNode f, String attr) { return number(f, f.attr(TRANSFORMS_NS, attr), attr); }

        private CompensationMatrix matrix(XmlNode n) {
            String id = n.attr(TRANSFORMS_NS, "id");
            remember(id, n.line);
            String inv = n.attr(TRANSFORMS_NS, "matrix-inverted-already");
            boolean inverted = inv != null && (inv.strip().equals("true") || inv.strip().equals("1"));
            List<String> fluoro = names(n.child(TRANSFORMS_NS, "fluorochromes"));
            List<String> det = names(n.child(TRANSFORMS_NS, "detectors"));
            List<XmlNode> spectra = n.children(TRANSFORMS_NS, "spectrum");
            double[][] m = new double[spectra.size()][];
            for (int i = 0; i < m.length; i++) {
                List<XmlNode> c = spectra.get(i).children(TRANSFORMS_NS, "coefficient");
                m[i] = new double[c.size()];
                for (int j = 0; j < c.size(); j++) {
                    m[i][j] = number(c.get(j), c.get(j).attr(TRANSFORMS_NS, "value"), "value");
                    if (!Double.isFinite(m[i][j])) throw at(c.get(j).line, "matrix '" + id + "': coefficient must be finite");
                }
            }
            return new CompensationMatrix(id, fluoro, det, m, inverted);
        }

        private static List<String> names(XmlNode list) {
            List<String> out = new ArrayList<>();
            for (XmlNode d : list.children(DATATYPES_NS, "fcs-dimension")) out.add(d.attr(DATATYPES_NS, "name"));
            return out;
        }

        private double value(XmlNode n) { return number(n, n.attr(DATATYPES_NS, "value"), "value"); }

        /** An attribute's value as written, for a message ("absent" when there is none). */
        private static String shown(String attr) {
            return attr == null ? "absent" : "'" + Problem.bounded(attr.strip(), 40) + "'";
        }

        /** {@code v}, refused with the element's line when it is NaN (a bound or location must be a number). */
        private double notNaN(XmlNode n, String gateId, double v, String what) {
            if (Double.isNaN(v)) throw at(n.line, "gate '" + gateId + "': " + what + " must not be NaN");
            return v;
        }

        /** An xs:double / xs:float lexical value. */
        private double number(XmlNode n, String s, String what) {
            if (s == null) throw at(n.line, "missing " + what);
            String t = s.strip();
            switch (t) {
                case "INF", "+INF": return Double.POSITIVE_INFINITY;
                case "-INF": return Double.NEGATIVE_INFINITY;
                case "NaN": return Double.NaN;
                default:
                    break;
            }
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.isEmpty() || lower.contains("x") || lower.contains("inf") || lower.contains("nan")
                    || lower.endsWith("d") || lower.endsWith("f")) {
                throw at(n.line, "'" + s + "' is not a number (" + what + ")");
            }
            try {
                double v = Double.parseDouble(t);
                if (Double.isInfinite(v)) {
                    throw at(n.line, "'" + s + "' is beyond the range of a double (" + what
                            + "); write INF or -INF for an unbounded value");
                }
                return v;
            } catch (NumberFormatException e) {
                throw at(n.line, "'" + s + "' is not a number (" + what + ")");
            }
        }
    }
}
