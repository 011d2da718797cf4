package org.colsparse.tensor;

import org.colsparse.util.InputException;
import org.colsparse.util.Printable;

import java.nio.file.Path;

/**
 * A NumPy {@code .npz}: a zip of {@code .npy} entries; entry {@code x.npy} is tensor {@code x}.
 * Every entry's header is validated at open. Stored entries ({@code np.savez}) are read straight from
 * the mapping; deflated ones ({@code np.savez_compressed}) are inflated into memory on the first read
 * of that tensor and kept until the source is closed.
 */
final class NpzSource extends NamedTensors {
    /** Enough for any header numpy writes for arrays of up to 32 dimensions. */
    private static final int HEADER_PREFIX = 4096;

    private final OpenedFile file;

    private NpzSource(OpenedFile file) {
        super(file.name);
        this.file = file;
    }

    static NpzSource open(Path path) {
        OpenedFile f = OpenedFile.open(path);
        try {
            NpzSource src = new NpzSource(f);
            if (!ZipArchive.looksLikeZip(f.bytes)) {
                throw new InputException(f.name + ": not an .npz (zip) file (bad magic)");
            }
            ZipArchive zip = ZipArchive.read(f.name, f.bytes);
            for (ZipArchive.Entry e : zip.entries()) {
                if (!e.name().endsWith(".npy")) {
                    throw new InputException(f.name + ": .npz entry '" + Printable.excerpt(e.name()) + "' is not a .npy array");
                }
                String where = f.name + ":" + Printable.excerpt(e.name());
                ByteSource head = ByteSource.of(zip.prefix(e, HEADER_PREFIX));
                NpyHeader h = parseHeader(zip, e, head, where);
                NpySource.checkLength(h, e.size(), where);
                String name = e.name().substring(0, e.name().length() - 4);
                src.add(NpySource.tensor(name, h, () -> zip.bytes(e).slice(h.dataOffset(), h.dataBytes())));
            }
            return src;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static NpyHeader parseHeader(ZipArchive zip, ZipArchive.Entry e, ByteSource head, String where) {
        try {
            return NpyHeader.parse(head, where);
        } catch (InputException ex) {
            // a header longer than the prefix read: parse again over the entry's full bytes
            if (e.size() > head.length() && ex.getMessage().contains("truncated .npy header")) {
                return NpyHeader.parse(zip.bytes(e), where);
            }
            throw ex;
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
