package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.cikqc.pipeline.Sims;
import org.cikqc.report.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cikqc demo} with all outputs (plots, dossier, summary), and the rendered PDFs: every page of the produced
 * {@code report.pdf} and {@code summary.pdf} is rendered with PDFBox and must carry content.
 */
class DemoCommandTest {
    final Cli cli = new Cli();

    @Test
    void theBundledSamplesAreFoundBesideTheBuildFolder() {
        Path td = DemoCommand.bundledTestData();
        assertEquals(Path.of("testdata").toAbsolutePath().normalize(), td, "project root/testdata");
        assertTrue(Files.isDirectory(td), "testdata/ is part of the project");
        assertEquals(4, org.cikqc.pipeline.InputFiles.scan(td, null).size(), "the four demo samples");
    }

    @Test
    void aMissingSampleFolderIsAClearError(@TempDir Path tmp) {
        Path nowhere = tmp.resolve("moved/testdata");
        assertEquals(3, cli.run("demo", "--samples", nowhere.toString(), "--out", tmp.resolve("o").toString()), cli.both());
        assertTrue(cli.err().contains(nowhere.toString()) && cli.err().contains("--samples"), cli.both());
    }

    @Test
    void writesDossiersSummaryAndAuditAndEveryPdfPageRenders(@TempDir Path tmp) throws Exception {
        // the bundled samples take a while at 100,000+ events; two small ones exercise the same path
        Path samples = tmp.resolve("samples");
        Sims.write(samples, "d1.fcs", 41, 10_000);
        Sims.write(samples, "d2.fcs", 42, 10_000, 0.5, 0.93, 0.35);
        Path out = tmp.resolve("demo-out");
        assertEquals(0, cli.run("demo", "--samples", samples.toString(), "--out", out.toString(), "--threads", "2"),
                cli.both());
        assertTrue(cli.out().contains("Reports:"), cli.both());
        assertTrue(cli.out().contains(out.resolve("d1/report.pdf").toAbsolutePath().toString()), cli.both());
        assertTrue(cli.out().contains("audit verify"), cli.both());
        try (Stream<Path> s = Files.list(out.resolve("d1/plots"))) {
            List<String> plots = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(plots.stream().anyMatch(n -> n.endsWith(".png")) && plots.stream().anyMatch(n -> n.endsWith(".svg")),
                    plots.toString());
        }
        assertEquals(0, cli.run("audit", "verify", out.resolve("audit.jsonl").toString()), cli.both());
        assertEquals(3, AuditLog.entries(out.resolve("audit.jsonl")).size(), "two analyses and the summary");

        int reportPages = checkEveryPage(out.resolve("d1/report.pdf"));
        assertTrue(reportPages >= 3, "the dossier has its result, check, population and plot pages: " + reportPages);
        checkEveryPage(out.resolve("d2/report.pdf"));
        assertEquals(1, checkEveryPage(out.resolve("summary.pdf")));
    }

    /** Renders every page; each must be "Page i of n" and carry real content (not only header and footer). */
    static int checkEveryPage(Path pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            int n = doc.getNumberOfPages();
            assertTrue(n >= 1, pdf + " has pages");
            PDFRenderer renderer = new PDFRenderer(doc);
            PDFTextStripper text = new PDFTextStripper();
            for (int i = 0; i < n; i++) {
                BufferedImage img = renderer.renderImageWithDPI(i, 36, ImageType.RGB);
                long ink = 0;
                for (int y = 0; y < img.getHeight(); y++) {
                    for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) ink++;
                }
                assertTrue(ink > 800, pdf.getFileName() + " page " + (i + 1) + " is blank: " + ink + " px");
                text.setStartPage(i + 1);
                text.setEndPage(i + 1);
                assertTrue(text.getText(doc).contains("Page " + (i + 1) + " of " + n), pdf + " page " + (i + 1));
            }
            return n;
        }
    }
}
