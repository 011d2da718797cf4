package org.colsparse.dataset;

import org.colsparse.util.InputException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (gzip-compressed or plain): a big-endian
 * magic {@code 0x0000TTNN} (TT = element type, NN = number of dimensions), NN big-endian 32-bit
 * sizes, then the elements. Only unsigned bytes (TT = 0x08), the type of every (Fashion-)MNIST
 * file, are supported.
 */
public final class Idx {
    private Idx() {
    }

    /** An IDX array of unsigned bytes in row-major order. */
    public record Array(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }
    }

    public static Array read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
            return read(file, new DataInputStream(in));
        } catch (InputException e) {
            throw e;
        } catch (IOException e) {
            throw new InputException(file + ": cannot read IDX file: " + e.getMessage(), e);
        }
    }

    private static Array read(Path file, DataInputStream in) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new InputException(file + ": not an IDX file (shorter than its 4-byte header)");
        }
        if ((magic >>> 16) != 0) throw new InputException(file + ": not an IDX file (magic 0x" + Integer.toHexString(magic) + ")");
        int type = (magic >>> 8) & 0xff, nd = magic & 0xff;
        if (type != 0x08) {
            throw new InputException(file + ": IDX element type 0x" + Integer.toHexString(type) + " is not supported (only unsigned byte, 0x08)");
        }
        if (nd == 0) throw new InputException(file + ": IDX file has no dimensions");
        int[] dims = new int[nd];
        long total = 1;
        for (int i = 0; i < nd; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new InputException(file + ": IDX header ends before dimension " + i);
            }
            if (dims[i] < 0) throw new InputException(file + ": IDX dimension " + i + " is negative");
            total *= dims[i];
            if (total > Integer.MAX_VALUE - 8) throw new InputException(file + ": IDX array too large (" + total + "+ elements)");
        }
        byte[] data = new byte[(int) total];
        int got = in.readNBytes(data, 0, data.length);
        if (got < data.length) {
            throw new InputException(file + ": IDX data truncated: " + got + " of " + data.length + " bytes");
        }
        if (in.read() != -1) throw new InputException(file + ": IDX file has bytes after its " + data.length + " elements");
        return new Array(dims, data);
    }
}
