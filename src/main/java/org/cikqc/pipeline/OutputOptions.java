package org.cikqc.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * What to write besides {@code result.json} and {@code gates.xml}.
 *
 * @param plots       PNG figures in {@code plots/}
 * @param pdf         {@code report.pdf}
 * @param svg         SVG figures next to the PNGs
 * @param dpi         PNG resolution
 * @param generatedAt the UTC time printed in the PDF (never in result.json)
 */
public record OutputOptions(boolean plots, boolean pdf, boolean svg, int dpi, Instant generatedAt) {

    public OutputOptions {
        Objects.requireNonNull(generatedAt, "generatedAt");
        if (dpi < 36 || dpi > 1200) throw new IllegalArgumentException("dpi must be in [36, 1200]: " + dpi);
    }

    /** Plots (PNG + SVG, 150 dpi) and the PDF, stamped now. */
    public static OutputOptions defaults() {
        return new OutputOptions(true, true, true, 150, Instant.now());
    }
}
