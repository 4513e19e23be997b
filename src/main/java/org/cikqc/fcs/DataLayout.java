package org.cikqc.fcs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * How one event is laid out in DATA ($MODE L): per parameter its byte offset inside the event, its storage width,
 * its type and (for integers) the bit mask. Decodes whole batches of events from a byte array into column arrays.
 */
final class DataLayout {

    private static final VarHandle F32_BE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle F32_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F64_BE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle F64_LE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I16_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I16_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I32_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I64_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Kind of ASCII layout, if $DATATYPE is A. */
    enum Ascii { NONE, FIXED, DELIMITED }

    final int parameters;
    final int eventBytes;          // 0 for delimited ASCII
    final char[] types;            // I F D A
    final int[] offsets;           // byte offset within the event
    final int[] widths;            // bytes
    final long[] masks;            // integer masks
    final int[] byteOrder;         // 0-based significance of each stored byte (length = order length)
    final boolean littleEndian;    // for widths other than the BYTEORD length
    final boolean bigEndian;
    final Ascii ascii;
    private final boolean allF32;
    private final boolean allI16;
    private final boolean allI32;

    DataLayout(List<FcsParameter> params, int[] byteOrder, Ascii ascii) {
        this.parameters = params.size();
        this.types = new char[parameters];
        this.offsets = new int[parameters];
        this.widths = new int[parameters];
        this.masks = new long[parameters];
        this.byteOrder = byteOrder;
        this.ascii = ascii;
        boolean le = true;
        boolean be = true;
        for (int i = 0; i < byteOrder.length; i++) {
            if (byteOrder[i] != i) le = false;
            if (byteOrder[i] != byteOrder.length - 1 - i) be = false;
        }
        this.littleEndian = le || (!be && byteOrder.length > 0 && byteOrder[0] < byteOrder[byteOrder.length - 1]);
        this.bigEndian = be;
        int off = 0;
        boolean f32 = true;
        boolean i16 = true;
        boolean i32 = true;
        for (int p = 0; p < parameters; p++) {
            FcsParameter fp = params.get(p);
            char t = fp.datatype();
            types[p] = t;
            int w = switch (t) {
                case 'F' -> 4;
                case 'D' -> 8;
                case 'I' -> storageBytes(fp.bits());
                case 'A' -> fp.bits();
                default -> throw new IllegalArgumentException("datatype " + t);
            };
            widths[p] = w;
            offsets[p] = off;
            off += w;
            if (t == 'I') masks[p] = mask(fp.bits(), fp.range());
            f32 &= t == 'F';
            i16 &= t == 'I' && w == 2;
            i32 &= t == 'I' && w == 4;
        }
        this.eventBytes = ascii == Ascii.DELIMITED ? 0 : off;
        this.allF32 = f32 && parameters > 0 && (le || be);
        this.allI16 = i16 && parameters > 0 && (le || be || byteOrder.length == 2);
        this.allI32 = i32 && parameters > 0 && (le || be);
    }

    /** Bytes used to store an integer of {@code bits} bits: 8→1, 10/12/16→2, 24→3, 32→4, 64→8, else ceil(bits/8). */
    static int storageBytes(int bits) {
        return (bits + 7) / 8;
    }

    /** (next power of two ≥ range) − 1, capped at the parameter's bit width. */
    static long mask(int bits, double range) {
        long full = bits >= 64 ? -1L : (1L << bits) - 1;
        if (!(range > 0) || bits >= 64 && range >= 0x1p63) return full;
        double r = Math.ceil(range);
        if (bits < 64 && r >= (double) (1L << bits)) return full;
        long p2 = 1;
        while (p2 < r && p2 > 0) p2 <<= 1;
        if (p2 <= 0) return full;
        return (p2 - 1) & full;
    }

    /** True when some parameter's mask is narrower than its storage width. */
    boolean masksNarrowerThanStorage(int p) {
        if (types[p] != 'I') return false;
        int w = widths[p];
        long full = w >= 8 ? -1L : (1L << (8 * w)) - 1;
        return masks[p] != full;
    }

    /** Decodes {@code n} consecutive events from {@code src} (starting at byte 0) into {@code cols[p][at..at+n)}. */
    void decode(byte[] src, int n, double[][] cols, int at) {
        final int eb = eventBytes;
        if (allF32) {
            VarHandle vh = bigEndian ? F32_BE : F32_LE;
            for (int p = 0; p < parameters; p++) {
                double[] c = cols[p];
                int o = offsets[p];
                for (int i = 0; i < n; i++) c[at + i] = (float) vh.get(src, o + i * eb);
            }
            return;
        }
        if (allI16) {
            VarHandle vh = littleEndian ? I16_LE : I16_BE;
            for (int p = 0; p < parameters; p++) {
                double[] c = cols[p];
                int o = offsets[p];
                int m = (int) masks[p];
                for (int i = 0; i < n; i++) c[at + i] = ((short) vh.get(src, o + i * eb)) & 0xFFFF & m;
            }
            return;
        }
        if (allI32) {
            VarHandle vh = bigEndian ? I32_BE : I32_LE;
            for (int p = 0; p < parameters; p++) {
                double[] c = cols[p];
                int o = offsets[p];
                long m = masks[p];
                for (int i = 0; i < n; i++) c[at + i] = ((int) vh.get(src, o + i * eb)) & 0xFFFFFFFFL & m;
            }
            return;
        }
        for (int p = 0; p < parameters; p++) decodeParameter(src, n, cols[p], at, p);
    }

    private void decodeParameter(byte[] src, int n, double[] c, int at, int p) {
        final int eb = eventBytes;
        final int o = offsets[p];
        final int w = widths[p];
        switch (types[p]) {
            case 'F' -> {
                if (bigEndian || littleEndian) {
                    VarHandle vh = bigEndian ? F32_BE : F32_LE;
                    for (int i = 0; i < n; i++) c[at + i] = (float) vh.get(src, o + i * eb);
                } else {
                    for (int i = 0; i < n; i++) c[at + i] = Float.intBitsToFloat((int) permuted(src, o + i * eb, 4));
                }
            }
            case 'D' -> {
                if (bigEndian || littleEndian) {
                    VarHandle vh = bigEndian ? F64_BE : F64_LE;
                    for (int i = 0; i < n; i++) c[at + i] = (double) vh.get(src, o + i * eb);
                } else {
                    for (int i = 0; i < n; i++) c[at + i] = Double.longBitsToDouble(permuted(src, o + i * eb, 8));
                }
            }
            case 'I' -> {
                long m = masks[p];
                if (w == 1) {
                    for (int i = 0; i < n; i++) c[at + i] = (src[o + i * eb] & 0xFFL) & m;
                } else if (w == 2 && (littleEndian || bigEndian || byteOrder.length == 2)) {
                    VarHandle vh = littleEndian ? I16_LE : I16_BE;
                    for (int i = 0; i < n; i++) c[at + i] = ((short) vh.get(src, o + i * eb)) & 0xFFFFL & m;
                } else if (w == 4 && (littleEndian || bigEndian)) {
                    VarHandle vh = littleEndian ? I32_LE : I32_BE;
                    for (int i = 0; i < n; i++) c[at + i] = ((int) vh.get(src, o + i * eb)) & 0xFFFFFFFFL & m;
                } else if (w == 8 && (littleEndian || bigEndian)) {
                    VarHandle vh = littleEndian ? I64_LE : I64_BE;
                    for (int i = 0; i < n; i++) c[at + i] = unsignedToDouble(((long) vh.get(src, o + i * eb)) & m);
                } else {
                    for (int i = 0; i < n; i++) c[at + i] = unsignedToDouble(permuted(src, o + i * eb, w) & m);
                }
            }
            case 'A' -> {
                for (int i = 0; i < n; i++) c[at + i] = AsciiNumbers.parse(src, o + i * eb, w);
            }
            default -> throw new IllegalStateException("datatype " + types[p]);
        }
    }

    /** Assembles a w-byte unsigned integer from {@code src[o..o+w)} following $BYTEORD. */
    private long permuted(byte[] src, int o, int w) {
        long v = 0;
        if (w == byteOrder.length) {
            for (int k = 0; k < w; k++) v |= (src[o + k] & 0xFFL) << (8 * byteOrder[k]);
        } else if (littleEndian) {
            for (int k = 0; k < w; k++) v |= (src[o + k] & 0xFFL) << (8 * k);
        } else {
            for (int k = 0; k < w; k++) v = (v << 8) | (src[o + k] & 0xFFL);
        }
        return v;
    }

    static double unsignedToDouble(long v) {
        if (v >= 0) return v;
        return (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
