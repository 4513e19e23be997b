package org.cikqc.plot;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

import org.jfree.svg.StandardFontFunction;

/**
 * The typeface of every figure: DejaVu Sans and DejaVu Sans Bold, bundled with cikqc (see
 * {@code fonts/LICENSE-DejaVu.txt} beside them). Drawing with a bundled face, not the platform's "SansSerif",
 * makes PNG, SVG and PDF figures look (and their PNG bytes be) the same on every machine, and lets the PDF dossier
 * embed the face so that text in its figures stays text (searchable, selectable).
 *
 * <p>Text the bundled face cannot show (DejaVu covers Latin, Greek and Cyrillic, not CJK) is drawn with the
 * platform's sans-serif of the same style and size ({@link #forText}). Should the bundled faces fail to load (a
 * damaged jar), figures fall back to the platform's sans-serif throughout: they still draw, only without those
 * guarantees.
 *
 * <p>Java draws only fonts it reads from a file. {@code Font.createFont(int, InputStream)} copies the face to a
 * temporary {@code +~JF*.tmp} in the temporary folder and relies on a shutdown hook of its own to delete it; a face
 * first used while the process is already stopping (SIGTERM while the analysis threads draw) cannot register that
 * hook, so its 0.7 MB copy stayed behind for good. The faces are therefore read from a {@link FontFiles cached copy}
 * that is written once per user and machine and never deleted; the JDK's own copy is the fallback only when that
 * cache cannot be used, and never once the process is stopping.
 */
public final class PlotFonts {

    /** A bundled face: its name ({@link Font#getFontName()}) and its TrueType file in the jar. */
    public record Face(String name, String resource) {
        /** The resource's file name without its extension ("DejaVuSans"). */
        String fileStem() {
            String file = resource.substring(resource.lastIndexOf('/') + 1);
            int dot = file.lastIndexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }

        /** Opens the face's TrueType data (the caller closes it). */
        public InputStream open() {
            return new java.io.ByteArrayInputStream(bytes());
        }

        /** The face's TrueType data, read from the jar once per process (do not modify the array). */
        public byte[] bytes() {
            return DATA.computeIfAbsent(resource, r -> {
                try (InputStream in = PlotFonts.class.getResourceAsStream(r)) {
                    if (in == null) throw new IOException("missing bundled font " + r);
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The bundled faces' TrueType data by resource (about 1.4 MB, read once, then shared by every PDF). */
    private static final java.util.Map<String, byte[]> DATA = new java.util.concurrent.ConcurrentHashMap<>();

    /** The bundled regular face (also the PDF dossier's body text, which PDFBox reads from it directly). */
    public static final Face REGULAR_FACE = new Face("DejaVu Sans", "fonts/DejaVuSans.ttf");
    /** The bundled bold face. */
    public static final Face BOLD_FACE = new Face("DejaVu Sans Bold", "fonts/DejaVuSans-Bold.ttf");
    private static final Font REGULAR = load(REGULAR_FACE, Font.PLAIN);
    private static final Font BOLD = load(BOLD_FACE, Font.BOLD);
    private static final StandardFontFunction STANDARD = new StandardFontFunction();
    private static final List<Face> FACES = REGULAR.getFontName().equals(REGULAR_FACE.name())
            && BOLD.getFontName().equals(BOLD_FACE.name()) ? List.of(REGULAR_FACE, BOLD_FACE) : List.of();

    private PlotFonts() { }

    private static Font load(Face face, int style) {
        try {
            java.util.Optional<java.nio.file.Path> file = FontFiles.cached(face.fileStem(), face.bytes());
            Font f;
            if (file.isPresent()) {
                f = Font.createFont(Font.TRUETYPE_FONT, file.get().toFile());
            } else if (!org.cikqc.common.AtomicFiles.isStopping()) {
                try (InputStream in = face.open()) {
                    f = Font.createFont(Font.TRUETYPE_FONT, in);
                }
            } else {
                f = null;
            }
            if (f != null && face.name().equals(f.getFontName())) return f.deriveFont(style, 10f);
        } catch (IOException | FontFormatException | RuntimeException e) {
            // fall through to the platform's font
        }
        return new Font(Font.SANS_SERIF, style, 10);
    }

    /** The bundled faces, for embedding in a PDF; empty when they could not be loaded. */
    public static List<Face> faces() { return FACES; }

    /** The regular face at {@code size} points. */
    static Font regular(float size) { return REGULAR.deriveFont(size); }

    /** The bold face at {@code size} points. */
    static Font bold(float size) { return BOLD.deriveFont(size); }

    /**
     * {@code font} when it can show every character of {@code text}, else the platform's sans-serif of the same
     * style and size (which may find the glyphs among the platform's fonts).
     */
    static Font forText(Font font, String text) {
        if (text == null || font.canDisplayUpTo(text) < 0) return font;
        return standIn(font);
    }

    /** The platform's sans-serif of {@code font}'s style and size. */
    static Font standIn(Font font) {
        return new Font(Font.SANS_SERIF, font.getStyle(), 1).deriveFont(font.getSize2D());
    }

    /** SVG font-family values: the bundled family named first, with the generic sans-serif after it. */
    static final Function<String, String> SVG_FAMILY = family -> REGULAR_FACE.name().equals(family)
            ? "\"DejaVu Sans\", sans-serif" : STANDARD.apply(family);
}
