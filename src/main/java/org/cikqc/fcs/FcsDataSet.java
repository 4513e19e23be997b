package org.cikqc.fcs;

import java.util.List;
import java.util.Locale;

import org.cikqc.common.Problem;

/**
 * The metadata of one data set of an FCS file: version, keywords, parameters, the event count that can actually be
 * read, the resolved segment offsets (absolute, inclusive) and every problem found or repaired.
 */
public final class FcsDataSet {
    private final int index;
    private final String version;
    private final long headerOffset;
    private final Keywords keywords;
    private final List<FcsParameter> parameters;
    private final long events;
    private final long declaredEvents;
    private final long dataStart;
    private final long dataEnd;
    private final long textStart;
    private final long textEnd;
    private final long analysisStart;
    private final long analysisEnd;
    private final List<Problem> problems;
    private final List<long[]> otherSegments;
    private final long[] supplementalText;
    final DataLayout layout;

    FcsDataSet(int index, String version, long headerOffset, Keywords keywords, List<FcsParameter> parameters,
               long events, long declaredEvents, long textStart, long textEnd, long dataStart, long dataEnd,
               long analysisStart, long analysisEnd, List<Problem> problems, DataLayout layout,
               List<long[]> otherSegments, long[] supplementalText) {
        this.index = index;
        this.version = version;
        this.headerOffset = headerOffset;
        this.keywords = keywords;
        this.parameters = List.copyOf(parameters);
        this.events = events;
        this.declaredEvents = declaredEvents;
        this.textStart = textStart;
        this.textEnd = textEnd;
        this.dataStart = dataStart;
        this.dataEnd = dataEnd;
        this.analysisStart = analysisStart;
        this.analysisEnd = analysisEnd;
        this.problems = List.copyOf(problems);
        this.layout = layout;
        this.otherSegments = otherSegments.stream().map(long[]::clone).toList();
        this.supplementalText = supplementalText == null ? null : supplementalText.clone();
    }

    /** 0-based position of this data set in the file ($NEXTDATA chain order). */
    public int index() { return index; }

    /** "FCS2.0", "FCS3.0", "FCS3.1" or "FCS3.2". */
    public String version() { return version; }

    /** Absolute byte offset of this data set's HEADER. */
    public long headerOffset() { return headerOffset; }

    public Keywords keywords() { return keywords; }

    public List<FcsParameter> parameters() { return parameters; }

    public FcsParameter parameter(int zeroBased) { return parameters.get(zeroBased); }

    /** Number of events that can be read (after repairs: complete events only). */
    public long events() { return events; }

    /** $TOT as written (or -1 when absent). */
    public long declaredEvents() { return declaredEvents; }

    /** Bytes per event in DATA (0 for delimited ASCII). */
    public int eventBytes() { return layout.eventBytes; }

    public long dataStart() { return dataStart; }

    /** Inclusive end of DATA (dataStart - 1 when empty). */
    public long dataEnd() { return dataEnd; }

    public long textStart() { return textStart; }

    public long textEnd() { return textEnd; }

    /** Absolute start of ANALYSIS, or 0 when absent. */
    public long analysisStart() { return analysisStart; }

    public long analysisEnd() { return analysisEnd; }

    /** FCS 3.2 OTHER segments declared in the HEADER after the six standard offsets: absolute {start, end} pairs. */
    public List<long[]> otherSegments() { return otherSegments.stream().map(long[]::clone).toList(); }

    /** The supplemental TEXT segment that was read (absolute {start, end}), or null. */
    public long[] supplementalText() { return supplementalText == null ? null : supplementalText.clone(); }

    /** Problems found and repairs applied, in the order they were found. */
    public List<Problem> problems() { return problems; }

    /** The 0-based index of the parameter whose $PnN is {@code name} (exact match first, then case-insensitive), or -1. */
    public int parameterIndex(String name) {
        for (int i = 0; i < parameters.size(); i++) if (parameters.get(i).name().equals(name)) return i;
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).name().strip().toLowerCase(Locale.ROOT).equals(n)) return i;
        }
        return -1;
    }

    /** $CYT, or null. */
    public String cytometer() { return keywords.getTrimmed("$CYT"); }

    /** $FIL, or null. */
    public String fileNameKeyword() { return keywords.getTrimmed("$FIL"); }
}
