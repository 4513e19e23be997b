package org.cikqc.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.cikqc.common.CikqcException;

/**
 * Analyses many inputs on a fixed number of threads, with per-file isolation: a bad file gets its error record
 * and the others go on (see {@link SampleProcessor}).
 *
 * <p><b>Determinism.</b> The outputs do not depend on the thread count: every result folder is written by the
 * deterministic analysis, and inputs that could be given the same output folder name ({@link OutputNames#keys})
 * are analysed one after the other in sorted order by one worker, so which of them gets the plain name and
 * which the {@code -<sha8>} suffix is fixed. The returned list is in input order (sorted paths), whatever the
 * order of completion.
 *
 * <p><b>Memory.</b> Each analysis streams its file; at most {@code threads} run at once, and only the result
 * trees (a few kB each) are kept for the summary.
 */
public final class BatchRunner {

    /**
     * Progress callbacks, called from the worker threads (implementations must be thread-safe and quick).
     */
    public interface Listener {
        /** An input is about to be analysed. */
        default void started(Path input) { }

        /** An input is finished ({@code done} of {@code total} so far). */
        default void finished(SampleResult result, int done, int total) { }
    }

    private final SampleProcessor processor;
    private final int threads;

    /**
     * @param processor the per-file processing
     * @param threads   worker threads (at least 1)
     */
    public BatchRunner(SampleProcessor processor, int threads) {
        this.processor = Objects.requireNonNull(processor, "processor");
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
    }

    /**
     * Analyses every input and returns their results in the order given (callers pass {@link InputFiles} order).
     * Returns only when every input is finished.
     *
     * @throws CikqcException (INTERNAL) when the waiting thread is interrupted
     */
    public List<SampleResult> run(List<Path> inputs, Listener listener) {
        Listener l = listener == null ? new Listener() { } : listener;
        List<List<Integer>> groups = groups(inputs);
        SampleResult[] results = new SampleResult[inputs.size()];
        AtomicInteger done = new AtomicInteger();
        int total = inputs.size();
        int n = Math.max(1, Math.min(threads, groups.size()));
        ExecutorService pool = Executors.newFixedThreadPool(n, daemonThreads());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (List<Integer> g : groups) {
                futures.add(pool.submit(() -> {
                    for (int i : g) {
                        Path in = inputs.get(i);
                        l.started(in);
                        SampleResult r = processor.process(in);
                        results[i] = r;
                        l.finished(r, done.incrementAndGet(), total);
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CikqcException(CikqcException.Kind.INTERNAL, "the batch was interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Error err) throw err;
            if (c instanceof RuntimeException re) throw re;
            throw new CikqcException(CikqcException.Kind.INTERNAL, "a batch worker failed: " + c, c);
        } finally {
            pool.shutdownNow();
        }
        return List.of(results);
    }

    /**
     * Groups input indices so that inputs sharing a name key are in one group (union-find over keys); groups are
     * in order of their first input, and each group's inputs in input order.
     */
    static List<List<Integer>> groups(List<Path> inputs) {
        int[] parent = new int[inputs.size()];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        Map<String, Integer> owner = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Set<String> keys = OutputNames.keys(inputs.get(i));
            for (String k : keys) {
                Integer j = owner.putIfAbsent(k, i);
                if (j != null) union(parent, i, j);
            }
        }
        Map<Integer, List<Integer>> byRoot = new LinkedHashMap<>(); // in order of each group's first input
        for (int i = 0; i < inputs.size(); i++) byRoot.computeIfAbsent(find(parent, i), x -> new ArrayList<>()).add(i);
        return new ArrayList<>(byRoot.values());
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "cikqc-batch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
