package org.cikqc.fcs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * How one event is laid out in DATA ($MODE L): per parameter its byte offset inside the event, its storage width,
 * its type and (for integers) the bit mask. Decodes whole batches of events from a byte array into column arrays.
 */
final class DataLayout {

    private static final VarHandle F32_BE = MethodHandles.byteBufferViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle F32_LE = MethodHandles.byteBufferViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F64_BE = MethodHandles.byteBufferViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle F64_LE = MethodHandles.byteBufferViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I16_BE = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I16_LE = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32_BE = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I32_LE = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64_BE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I64_LE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Kind of ASCII layout, if $DATATYPE is A. */
    enum Ascii { NONE, FIXED, DELIMITED }

    final int parameters;
    final int eventBytes;          // 0 for delimited ASCII
    final char[] types;            // I F D A
    final int[] offsets;           // byte offset within the event
    final int[] widths;            // bytes
    final long[] masks;            // integer masks
    final int[] bits;              // $PnB of integer parameters, else 8 × width
    final long packedBits;         // sum of bits: the event's size were integers bit-packed without padding
    final int[] byteOrder;         // 0-based significance of each stored byte (length = order length)
    final boolean littleEndian;    // $BYTEORD is 1,2,…: every width little-endian
    final boolean otherWidthsLittleEndian; // for widths other than the BYTEORD length
    final boolean bigEndian;
    final Ascii ascii;
    private final boolean allF32;
    private final boolean allI16;
    private final boolean allI32;
    private final boolean anyFloat;    // some parameter stored as F or D

    DataLayout(List<FcsParameter> params, int[] byteOrder, Ascii ascii) {
        this.parameters = params.size();
        this.types = new char[parameters];
        this.offsets = new int[parameters];
        this.widths = new int[parameters];
        this.masks = new long[parameters];
        this.bits = new int[parameters];
        this.byteOrder = byteOrder;
        this.ascii = ascii;
        boolean le = true;
        boolean be = true;
        for (int i = 0; i < byteOrder.length; i++) {
            if (byteOrder[i] != i) le = false;
            if (byteOrder[i] != byteOrder.length - 1 - i) be = false;
        }
        this.littleEndian = le;
        // values of another width than a mixed order (16-bit words under 3,4,1,2, the PDP-11 order) take the order
        // of its two least significant bytes: 3,4,1,2 stores each 16-bit word with its less significant byte first
        this.otherWidthsLittleEndian = le || !be && byteOrder.length > 1 && position(byteOrder, 0) < position(byteOrder, 1);
        this.bigEndian = be;
        int off = 0;
        long packed = 0;
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
            bits[p] = t == 'I' ? fp.bits() : 8 * w;
            packed += bits[p];
            offsets[p] = off;
            off += w;
            if (t == 'I') masks[p] = mask(fp.bits(), fp.range());
            f32 &= t == 'F';
            i16 &= t == 'I' && w == 2;
            i32 &= t == 'I' && w == 4;
        }
        this.eventBytes = ascii == Ascii.DELIMITED ? 0 : off;
        this.packedBits = packed;
        this.allF32 = f32 && parameters > 0 && (le || be);
        this.allI16 = i16 && parameters > 0 && (le || be);
        this.allI32 = i32 && parameters > 0 && (le || be);
        boolean floats = false;
        for (char t : types) floats |= t == 'F' || t == 'D';
        this.anyFloat = floats;
    }

    private static int position(int[] order, int significance) {
        for (int i = 0; i < order.length; i++) if (order[i] == significance) return i;
        return order.length;
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

    /** The first parameter whose bits do not fill whole bytes, or 0. */
    int firstUnalignedParameter() {
        for (int p = 0; p < parameters; p++) if (bits[p] % 8 != 0) return p;
        return 0;
    }

    /** True when some parameter's mask is narrower than its storage width. */
    boolean masksNarrowerThanStorage(int p) {
        if (types[p] != 'I') return false;
        int w = widths[p];
        long full = w >= 8 ? -1L : (1L << (8 * w)) - 1;
        return masks[p] != full;
    }

    /** The exponent bits of a float32, and one unit of them: an all-ones exponent (NaN, ±Inf) plus one sets bit 31. */
    private static final int F32_EXPONENT = 0x7f800000;
    private static final int F32_EXPONENT_ONE = 0x00800000;

    /** Per-reader scratch arrays for the bulk paths (one per thread). */
    static final class Scratch {
        short[] s;
        int[] i;
    }

    /**
     * Decodes {@code n} consecutive events from {@code src} (starting at its index 0; a direct buffer avoids a copy)
     * into {@code cols[p][at..at+n)}. Uniform float32 / int16 / int32 layouts are copied in bulk (with the byte
     * swap done by the JDK's vectorised copy) into a scratch array, then transposed into the columns.
     *
     * @return false when no float value among them can be NaN or infinite: integers never are, and the bulk float32
     *         path has checked every exponent; true when some may be (the caller finds which)
     */
    boolean decode(ByteBuffer src, int n, double[][] cols, int at, Scratch scratch) {
        final int np = parameters;
        if (allF32 || allI16 || allI32) {
            ByteBuffer b = src.duplicate().order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            b.position(0).limit(n * eventBytes);
            int m = n * np;
            if (allF32) {
                // read as int bits: one vectorised pass tells whether any exponent is all ones (NaN or ±Inf)
                if (scratch.i == null || scratch.i.length < m) scratch.i = new int[m];
                int[] t = scratch.i;
                b.asIntBuffer().get(t, 0, m);
                int acc = 0;
                for (int k = 0; k < m; k++) acc |= (t[k] & F32_EXPONENT) + F32_EXPONENT_ONE;
                int p = 0;
                for (; p + 4 <= np; p += 4) {
                    double[] c0 = cols[p];
                    double[] c1 = cols[p + 1];
                    double[] c2 = cols[p + 2];
                    double[] c3 = cols[p + 3];
                    for (int i = 0, k = p; i < n; i++, k += np) {
                        c0[at + i] = Float.intBitsToFloat(t[k]);
                        c1[at + i] = Float.intBitsToFloat(t[k + 1]);
                        c2[at + i] = Float.intBitsToFloat(t[k + 2]);
                        c3[at + i] = Float.intBitsToFloat(t[k + 3]);
                    }
                }
                for (; p < np; p++) {
                    double[] c = cols[p];
                    for (int i = 0, k = p; i < n; i++, k += np) c[at + i] = Float.intBitsToFloat(t[k]);
                }
                return acc < 0;
            } else if (allI16) {
                if (scratch.s == null || scratch.s.length < m) scratch.s = new short[m];
                short[] t = scratch.s;
                b.asShortBuffer().get(t, 0, m);
                // blocks of 8, then 4 parameters: each pass over the chunk fills several columns
                int p = 0;
                for (; p + 8 <= np; p += 8) {
                    double[] c0 = cols[p];
                    double[] c1 = cols[p + 1];
                    double[] c2 = cols[p + 2];
                    double[] c3 = cols[p + 3];
                    double[] c4 = cols[p + 4];
                    double[] c5 = cols[p + 5];
                    double[] c6 = cols[p + 6];
                    double[] c7 = cols[p + 7];
                    int m0 = (int) masks[p];
                    int m1 = (int) masks[p + 1];
                    int m2 = (int) masks[p + 2];
                    int m3 = (int) masks[p + 3];
                    int m4 = (int) masks[p + 4];
                    int m5 = (int) masks[p + 5];
                    int m6 = (int) masks[p + 6];
                    int m7 = (int) masks[p + 7];
                    for (int i = 0, k = p; i < n; i++, k += np) {
                        c0[at + i] = t[k] & m0;
                        c1[at + i] = t[k + 1] & m1;
                        c2[at + i] = t[k + 2] & m2;
                        c3[at + i] = t[k + 3] & m3;
                        c4[at + i] = t[k + 4] & m4;
                        c5[at + i] = t[k + 5] & m5;
                        c6[at + i] = t[k + 6] & m6;
                        c7[at + i] = t[k + 7] & m7;
                    }
                }
                for (; p + 4 <= np; p += 4) {
                    double[] c0 = cols[p];
                    double[] c1 = cols[p + 1];
                    double[] c2 = cols[p + 2];
                    double[] c3 = cols[p + 3];
                    int m0 = (int) masks[p];
                    int m1 = (int) masks[p + 1];
                    int m2 = (int) masks[p + 2];
                    int m3 = (int) masks[p + 3];
                    for (int i = 0, k = p; i < n; i++, k += np) {
                        c0[at + i] = t[k] & m0;
                        c1[at + i] = t[k + 1] & m1;
                        c2[at + i] = t[k + 2] & m2;
                        c3[at + i] = t[k + 3] & m3;
                    }
                }
                for (; p < np; p++) {
                    double[] c = cols[p];
                    int mask = (int) masks[p];
                    for (int i = 0, k = p; i < n; i++, k += np) c[at + i] = t[k] & mask;
                }
            } else {
                if (scratch.i == null || scratch.i.length < m) scratch.i = new int[m];
                int[] t = scratch.i;
                b.asIntBuffer().get(t, 0, m);
                for (int p = 0; p < np; p++) {
                    double[] c = cols[p];
                    long mask = masks[p];
                    for (int i = 0, k = p; i < n; i++, k += np) c[at + i] = t[k] & 0xFFFFFFFFL & mask;
                }
            }
            return false;
        }
        for (int p = 0; p < parameters; p++) decodeParameter(src, n, cols[p], at, p);
        return anyFloat; // the caller's count is the one scan of these columns
    }

    /** True when parameter {@code p} is stored as a float ($DATATYPE F or D, or $PnDATATYPE), the only kind that can hold NaN or ±Inf. */
    boolean isFloat(int p) {
        return types[p] == 'F' || types[p] == 'D';
    }


    // One loop per constant VarHandle: the JIT intrinsifies constant handles only.
    private static void f32be(ByteBuffer src, int o, int eb, int n, double[] c, int at) {
        for (int i = 0; i < n; i++) c[at + i] = (float) F32_BE.get(src, o + i * eb);
    }

    private static void f32le(ByteBuffer src, int o, int eb, int n, double[] c, int at) {
        for (int i = 0; i < n; i++) c[at + i] = (float) F32_LE.get(src, o + i * eb);
    }

    private static void f64be(ByteBuffer src, int o, int eb, int n, double[] c, int at) {
        for (int i = 0; i < n; i++) c[at + i] = (double) F64_BE.get(src, o + i * eb);
    }

    private static void f64le(ByteBuffer src, int o, int eb, int n, double[] c, int at) {
        for (int i = 0; i < n; i++) c[at + i] = (double) F64_LE.get(src, o + i * eb);
    }

    private static void i16be(ByteBuffer src, int o, int eb, int n, double[] c, int at, int m) {
        for (int i = 0; i < n; i++) c[at + i] = ((short) I16_BE.get(src, o + i * eb)) & 0xFFFF & m;
    }

    private static void i16le(ByteBuffer src, int o, int eb, int n, double[] c, int at, int m) {
        for (int i = 0; i < n; i++) c[at + i] = ((short) I16_LE.get(src, o + i * eb)) & 0xFFFF & m;
    }

    private static void i32be(ByteBuffer src, int o, int eb, int n, double[] c, int at, long m) {
        for (int i = 0; i < n; i++) c[at + i] = ((int) I32_BE.get(src, o + i * eb)) & 0xFFFFFFFFL & m;
    }

    private static void i32le(ByteBuffer src, int o, int eb, int n, double[] c, int at, long m) {
        for (int i = 0; i < n; i++) c[at + i] = ((int) I32_LE.get(src, o + i * eb)) & 0xFFFFFFFFL & m;
    }

    private static void i64be(ByteBuffer src, int o, int eb, int n, double[] c, int at, long m) {
        for (int i = 0; i < n; i++) c[at + i] = unsignedToDouble(((long) I64_BE.get(src, o + i * eb)) & m);
    }

    private static void i64le(ByteBuffer src, int o, int eb, int n, double[] c, int at, long m) {
        for (int i = 0; i < n; i++) c[at + i] = unsignedToDouble(((long) I64_LE.get(src, o + i * eb)) & m);
    }

    private void decodeParameter(ByteBuffer src, int n, double[] c, int at, int p) {
        final int eb = eventBytes;
        final int o = offsets[p];
        final int w = widths[p];
        switch (types[p]) {
            case 'F' -> {
                if (bigEndian) {
                    f32be(src, o, eb, n, c, at);
                } else if (littleEndian) {
                    f32le(src, o, eb, n, c, at);
                } else {
                    for (int i = 0; i < n; i++) c[at + i] = Float.intBitsToFloat((int) permuted(src, o + i * eb, 4));
                }
            }
            case 'D' -> {
                if (bigEndian) {
                    f64be(src, o, eb, n, c, at);
                } else if (littleEndian) {
                    f64le(src, o, eb, n, c, at);
                } else {
                    for (int i = 0; i < n; i++) c[at + i] = Double.longBitsToDouble(permuted(src, o + i * eb, 8));
                }
            }
            case 'I' -> {
                long m = masks[p];
                if (w == 1) {
                    for (int i = 0; i < n; i++) c[at + i] = (src.get(o + i * eb) & 0xFFL) & m;
                } else if (w == 2 && (littleEndian || bigEndian)) {
                    if (littleEndian) i16le(src, o, eb, n, c, at, (int) m);
                    else i16be(src, o, eb, n, c, at, (int) m);
                } else if (w == 4 && (littleEndian || bigEndian)) {
                    if (littleEndian) i32le(src, o, eb, n, c, at, m);
                    else i32be(src, o, eb, n, c, at, m);
                } else if (w == 8 && (littleEndian || bigEndian)) {
                    if (littleEndian) i64le(src, o, eb, n, c, at, m);
                    else i64be(src, o, eb, n, c, at, m);
                } else {
                    for (int i = 0; i < n; i++) c[at + i] = unsignedToDouble(permuted(src, o + i * eb, w) & m);
                }
            }
            case 'A' -> {
                byte[] tmp = new byte[w];
                for (int i = 0; i < n; i++) {
                    src.get(o + i * eb, tmp, 0, w);
                    double v = AsciiNumbers.parse(tmp, 0, w);
                    if (Double.isNaN(v)) throw new BadAsciiField(i, p, tmp);
                    c[at + i] = v;
                }
            }
            default -> throw new IllegalStateException("datatype " + types[p]);
        }
    }

    /**
     * A fixed-width ASCII field that is not a number: the event's index within the decoded run, the parameter and
     * the field's bytes. The reader turns it into an error naming the byte offset.
     */
    static final class BadAsciiField extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int event;
        final int parameter;
        final byte[] field;

        BadAsciiField(int event, int parameter, byte[] field) {
            super(null, null, false, false);
            this.event = event;
            this.parameter = parameter;
            this.field = field.clone();
        }
    }

    /**
     * True when no integer parameter whose $PnB is not a whole number of bytes has a bit set above its $PnB in the
     * {@code n} events of {@code src}: what words padded with zeros hold, and what a bit-packed stream read as
     * words almost never does.
     */
    boolean highBitsClear(ByteBuffer src, int n) {
        for (int p = 0; p < parameters; p++) {
            if (types[p] != 'I' || bits[p] % 8 == 0 || bits[p] >= 64) continue;
            for (int i = 0; i < n; i++) {
                if (permuted(src, offsets[p] + i * eventBytes, widths[p]) >>> bits[p] != 0) return false;
            }
        }
        return true;
    }

    /** Assembles a w-byte unsigned integer from {@code src[o..o+w)} following $BYTEORD. */
    private long permuted(ByteBuffer src, int o, int w) {
        long v = 0;
        if (w == byteOrder.length) {
            for (int k = 0; k < w; k++) v |= (src.get(o + k) & 0xFFL) << (8 * byteOrder[k]);
        } else if (otherWidthsLittleEndian) {
            for (int k = 0; k < w; k++) v |= (src.get(o + k) & 0xFFL) << (8 * k);
        } else {
            for (int k = 0; k < w; k++) v = (v << 8) | (src.get(o + k) & 0xFFL);
        }
        return v;
    }

    static double unsignedToDouble(long v) {
        if (v >= 0) return v;
        return (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
