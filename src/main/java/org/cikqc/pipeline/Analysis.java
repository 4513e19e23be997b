package org.cikqc.pipeline;

import java.util.List;

import org.cikqc.gating.GatingStrategy;
import org.cikqc.plot.Figure;
import org.cikqc.qc.QcResult;

/**
 * One analysed sample, in memory: the exact {@code result.json} bytes, the fitted strategy as Gating-ML and the
 * figures, before anything is written.
 *
 * @param sample        the output folder name
 * @param sha256        SHA-256 of the FCS file
 * @param resultJson    the deterministic result.json bytes
 * @param gatingMl      the fitted strategy as Gating-ML 2.0
 * @param result        the QC evaluation
 * @param figures       the plots, named (file stem → figure), in dossier order
 * @param strategy      the fitted strategy
 */
public record Analysis(String sample, String sha256, byte[] resultJson, byte[] gatingMl, QcResult result,
                       List<NamedFigure> figures, GatingStrategy strategy) {

    /** A figure and its file stem (e.g. {@code 03-singlets}). */
    public record NamedFigure(String name, Figure figure) { }
}
