package org.cikqc.fcs;

/**
 * Stable problem codes of the FCS reader. Each names one defect; LENIENT applies the named repair and records a
 * {@link org.cikqc.common.Problem} with the code, STRICT refuses the file.
 */
public final class FcsProblems {
    private FcsProblems() { }

    // fatal (no repair possible)
    public static final String FILE_TOO_SHORT = "FILE_TOO_SHORT";
    public static final String BAD_VERSION = "BAD_VERSION";
    public static final String BAD_HEADER_OFFSET = "BAD_HEADER_OFFSET";
    public static final String TEXT_OUT_OF_FILE = "TEXT_OUT_OF_FILE";
    public static final String TEXT_EMPTY = "TEXT_EMPTY";
    public static final String MISSING_KEYWORD = "MISSING_KEYWORD";
    public static final String BAD_KEYWORD_VALUE = "BAD_KEYWORD_VALUE";
    public static final String UNSUPPORTED_MODE = "UNSUPPORTED_MODE";
    public static final String UNSUPPORTED_DATATYPE = "UNSUPPORTED_DATATYPE";
    public static final String DATA_OUT_OF_FILE = "DATA_OUT_OF_FILE";
    public static final String NEXTDATA_INVALID = "NEXTDATA_INVALID";
    public static final String IO_ERROR = "IO_ERROR";

    // repaired or recorded (LENIENT)
    public static final String BLANK_HEADER_OFFSET = "BLANK_HEADER_OFFSET";
    public static final String TEXT_END_OVERLAPS_DATA = "TEXT_END_OVERLAPS_DATA";
    public static final String TEXT_UNTERMINATED_VALUE = "TEXT_UNTERMINATED_VALUE";
    public static final String TEXT_EMPTY_VALUE = "TEXT_EMPTY_VALUE";
    public static final String TEXT_STRAY_DELIMITER = "TEXT_STRAY_DELIMITER";
    public static final String TEXT_DANGLING_KEYWORD = "TEXT_DANGLING_KEYWORD";
    public static final String TEXT_NOT_UTF8 = "TEXT_NOT_UTF8";
    public static final String KEYWORD_WHITESPACE = "KEYWORD_WHITESPACE";
    /** A keyword name with a character outside printable ASCII (a control character: WARNING; other: INFO). */
    public static final String KEYWORD_INVALID_CHARACTER = "KEYWORD_INVALID_CHARACTER";
    public static final String DUPLICATE_KEYWORD = "DUPLICATE_KEYWORD";
    public static final String DUPLICATE_PARAMETER_NAME = "DUPLICATE_PARAMETER_NAME";
    public static final String MISSING_OPTIONAL_OFFSET_KEYWORD = "MISSING_OFFSET_KEYWORD";
    public static final String DATA_OFFSET_CONFLICT = "DATA_OFFSET_CONFLICT";
    public static final String DATA_END_PAST_EOF = "DATA_END_PAST_EOF";
    public static final String STEXT_OVERLAPS_PRIMARY = "STEXT_OVERLAPS_PRIMARY";
    public static final String STEXT_INVALID = "STEXT_INVALID";
    public static final String TOT_MISMATCH = "TOT_MISMATCH";
    public static final String TRUNCATED_DATA = "TRUNCATED_DATA";
    public static final String CRC_MISMATCH = "CRC_MISMATCH";
    public static final String RANGE_BITMASK = "RANGE_BITMASK";
    public static final String LOG_OFFSET_ZERO = "LOG_OFFSET_ZERO";
    public static final String ANALYSIS_OUT_OF_FILE = "ANALYSIS_OUT_OF_FILE";
    public static final String ANALYSIS_INVALID = "ANALYSIS_INVALID";
    public static final String ASCII_BAD_NUMBER = "ASCII_BAD_NUMBER";
    /** A float value of DATA that is NaN or infinite: no instrument writes one (found while the events are read). */
    public static final String NON_FINITE_VALUE = "NON_FINITE_VALUE";

    // informational
    public static final String TEXT_TRAILING_PADDING = "TEXT_TRAILING_PADDING";
    public static final String PARAMETER_NAME_WHITESPACE = "PARAMETER_NAME_WHITESPACE";
}
