package org.cikqc.pipeline;

import java.nio.file.Path;
import java.util.Objects;

import org.cikqc.common.CikqcException;
import org.cikqc.report.FileCompleteness;

/**
 * One post-acquisition hook run: waits (bounded) until the instrument has finished writing the file, then analyses
 * it. It always leaves a record: the result folder, or an error record when the file is bad or never becomes
 * complete within the timeout (kind {@link CikqcException.Kind#INVALID_INPUT}, the message says what was still
 * missing), plus the audit entry.
 */
public final class HookRunner {
    private final SampleProcessor processor;
    private final FileCompleteness completeness;

    /**
     * @param processor    the per-file processing
     * @param completeness the bounded wait (timeout, poll interval, settle time)
     */
    public HookRunner(SampleProcessor processor, FileCompleteness completeness) {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.completeness = Objects.requireNonNull(completeness, "completeness");
    }

    /**
     * Waits for {@code file} and analyses it.
     *
     * @throws InterruptedException when the wait is interrupted (nothing is recorded then: the caller decides)
     */
    public SampleResult run(Path file) throws InterruptedException {
        FileCompleteness.Result wait = completeness.await(file);
        if (wait.status() == FileCompleteness.Status.NOT_A_FILE) {
            return processor.fail(file, CikqcException.Kind.INVALID_INPUT, file + ": " + wait.reason());
        }
        if (!wait.complete()) {
            return processor.fail(file, CikqcException.Kind.INVALID_INPUT,
                    file + ": the file did not become complete: " + wait.reason());
        }
        return processor.process(file);
    }
}
