package org.cikqc.pipeline;

import java.nio.file.Path;

/**
 * Analyses one input file into {@code outRoot/<sample>/} and reports what it wrote: the seam between the
 * orchestration (batch, hook, watch, analyze) and the analysis itself. The production analyzer is
 * {@link #SAMPLE_RUNNER} ({@link SampleRunner#run}); tests of the orchestration plug in their own.
 *
 * <p>Implementations must be safe to call from several threads at once for different inputs, must write their
 * output folder as a unit (complete or absent) and must report failures as
 * {@link org.cikqc.common.CikqcException} whose kind says whose fault it was.
 */
@FunctionalInterface
public interface Analyzer {

    /** The real analysis: {@link SampleRunner#run(Path, AnalysisOptions, OutputOptions, Path)}. */
    Analyzer SAMPLE_RUNNER = SampleRunner::run;

    /**
     * Analyses {@code fcs} and writes its output folder under {@code outRoot}.
     *
     * @throws org.cikqc.common.CikqcException when the input, the spec or the output fails
     */
    SampleOutcome analyze(Path fcs, AnalysisOptions options, OutputOptions output, Path outRoot);
}
