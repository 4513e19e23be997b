package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.cikqc.common.CikqcException;
import org.cikqc.pipeline.SampleOutcome;
import org.cikqc.pipeline.SampleResult;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** Exit-code precedence of the analysing commands, and duration options. */
class OutcomesTest {
    static SampleResult ok(String verdict) {
        Path d = Path.of("out", verdict.toLowerCase());
        return SampleResult.of(Path.of(verdict + ".fcs"),
                new SampleOutcome(verdict, d, d.resolve("result.json"), "0".repeat(64), verdict, List.of(), null));
    }

    static SampleResult failed(CikqcException.Kind kind) {
        return SampleResult.failed(Path.of(kind + ".fcs"), new SampleResult.Failure(kind, "m", null, null));
    }

    @Test
    void precedence() {
        List<SampleResult> rs = new ArrayList<>(List.of(ok("PASS")));
        assertEquals(0, Outcomes.exitCode(rs, true));
        rs.add(ok("FAIL"));
        assertEquals(0, Outcomes.exitCode(rs, false));
        assertEquals(10, Outcomes.exitCode(rs, true));
        rs.add(ok("INDETERMINATE"));
        assertEquals(10, Outcomes.exitCode(List.of(ok("PASS"), ok("INDETERMINATE")), true));
        rs.add(failed(CikqcException.Kind.INVALID_INPUT));
        assertEquals(3, Outcomes.exitCode(rs, true), "3 over 10");
        rs.add(failed(CikqcException.Kind.INVALID_SPEC));
        assertEquals(4, Outcomes.exitCode(rs, true), "4 over 3");
        rs.add(failed(CikqcException.Kind.INTERNAL));
        assertEquals(1, Outcomes.exitCode(rs, false), "1 over 4");
        rs.add(failed(CikqcException.Kind.OUTPUT_IO));
        assertEquals(5, Outcomes.exitCode(rs, false), "5 over everything");
        assertEquals("7 samples: 4 ERROR, 1 FAIL, 1 INDETERMINATE, 1 PASS", Outcomes.tally(rs));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofSeconds(120), DurationConverter.parse("120s"));
        assertEquals(Duration.ofSeconds(120), DurationConverter.parse("120"));
        assertEquals(Duration.ofMillis(1500), DurationConverter.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
        assertEquals(Duration.ofHours(1), DurationConverter.parse("1h"));
        assertEquals(Duration.ofMinutes(2), DurationConverter.parse("PT2M"));
        assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("soon"));
        assertThrows(CommandLine.TypeConversionException.class, () -> new DurationConverter().convert("0s"));
    }
}
