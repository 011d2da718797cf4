package org.colsparse.tensor;

import org.colsparse.tensor.RestrictedUnpickler.Storage;
import org.colsparse.tensor.RestrictedUnpickler.Tensor;
import org.colsparse.tensor.RestrictedUnpickler.Tuple;
import org.colsparse.util.InputException;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * A PyTorch zip checkpoint ({@code torch.save} since 1.6): {@code <dir>/data.pkl} holds the object
 * tree, {@code <dir>/data/<key>} the raw bytes of each storage, {@code <dir>/byteorder} their byte
 * order. The pickle is read by {@link RestrictedUnpickler} in the given mode. Every tensor in the
 * tree is listed under its dotted path ({@code {"state_dict": {"fc.weight": t}}} gives {@code
 * state_dict.fc.weight}; list items use their index); ints, floats, strings and (in the weights mode)
 * {@link RestrictedUnpickler.Foreign} objects in the tree are ignored. A file that is a single tensor
 * lists it under the file's stem.
 */
final class TorchZipSource extends NamedTensors {
    private static final int MAX_DEPTH = 64;

    private final OpenedFile file;
    private final ZipArchive zip;
    private final String prefix;
    private final ByteOrder order;

    private TorchZipSource(OpenedFile file, ZipArchive zip, String prefix, ByteOrder order) {
        super(file.name);
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
        this.order = order;
    }

    static TorchZipSource open(Path path, RestrictedUnpickler.Mode mode) {
        OpenedFile f = OpenedFile.open(path);
        try {
            if (!ZipArchive.looksLikeZip(f.bytes)) {
                byte first = f.bytes.length() > 0 ? f.bytes.bytes(0, 1)[0] : 0;
                throw new InputException(f.name + (first == (byte) 0x80
                        ? ": legacy (pre-1.6, non-zip) PyTorch format is not supported; re-save it with a current torch.save"
                        : ": not a PyTorch zip checkpoint (bad magic)"));
            }
            ZipArchive zip = ZipArchive.read(f.name, f.bytes);
            String prefix = null;
            for (ZipArchive.Entry e : zip.entries()) {
                String n = e.name();
                if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                    if (prefix != null) {
                        throw new InputException(f.name + ": more than one data.pkl in the archive");
                    }
                    prefix = n.substring(0, n.length() - "data.pkl".length());
                }
            }
            if (prefix == null) {
                throw new InputException(f.name + ": not a PyTorch checkpoint (zip without <name>/data.pkl)");
            }
            if (zip.entry(prefix + "constants.pkl") != null) {
                // TorchScript archives pickle modules, not plain state dicts; the unpickler would refuse them anyway
                throw new InputException(f.name + ": a TorchScript archive, not a torch.save checkpoint (save the state_dict instead)");
            }
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipArchive.Entry bo = zip.entry(prefix + "byteorder");
            if (bo != null) {
                String s = new String(zip.prefix(bo, 16), StandardCharsets.US_ASCII).trim();
                order = switch (s) {
                    case "little" -> ByteOrder.LITTLE_ENDIAN;
                    case "big" -> ByteOrder.BIG_ENDIAN;
                    default -> throw new InputException(f.name + ": unknown byteorder '" + s + "'");
                };
            }
            ZipArchive.Entry pkl = zip.entry(prefix + "data.pkl");
            if (pkl.size() > 1L << 30) {
                throw new InputException(f.name + ": data.pkl of " + pkl.size() + " bytes is implausibly large");
            }
            Object root = RestrictedUnpickler.load(f.name, mode, zip.prefix(pkl, (int) pkl.size()));
            TorchZipSource src = new TorchZipSource(f, zip, prefix, order);
            if (root instanceof Tensor t) {
                src.add(src.tensor(stem(path.getFileName().toString()), t));
            } else {
                src.walk(root, "", Collections.newSetFromMap(new IdentityHashMap<>()), 0);
            }
            return src;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void walk(Object o, String name, Set<Object> path, int depth) {
        if (o instanceof Tensor t) {
            add(tensor(name, t));
            return;
        }
        if (!(o instanceof Map<?, ?>) && !(o instanceof List<?>) && !(o instanceof Tuple)) {
            return; // numbers, strings, None, bytes, foreign objects: not tensors
        }
        if (depth > MAX_DEPTH || !path.add(o)) {
            throw new InputException(file() + ": object tree is cyclic or nested more than " + MAX_DEPTH + " deep");
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, join(name, String.valueOf(k)), path, depth + 1));
        } else {
            List<?> items = o instanceof Tuple t ? t.items() : (List<?>) o;
            for (int i = 0; i < items.size(); i++) {
                walk(items.get(i), join(name, Integer.toString(i)), path, depth + 1);
            }
        }
        path.remove(o);
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "." + b;
    }

    private TensorData tensor(String name, Tensor t) {
        Storage s = t.storage();
        TensorInfo info = new TensorInfo(name, s.dtype(), t.size());
        long count;
        long last = t.offset();
        try {
            count = info.elementCount();
            for (int d = 0; d < t.size().length; d++) {
                last = Math.addExact(last, Math.multiplyExact(Math.max(t.size()[d] - 1, 0), t.stride()[d]));
            }
        } catch (ArithmeticException e) {
            throw new InputException(file() + ": tensor '" + name + "' has an impossible size " + Arrays.toString(t.size()));
        }
        if (count > 0 && last >= s.numel()) {
            throw new InputException(file() + ": tensor '" + name + "' (size " + Arrays.toString(t.size()) + ", stride "
                    + Arrays.toString(t.stride()) + ", offset " + t.offset() + ") reaches beyond its storage of "
                    + s.numel() + " elements");
        }
        ZipArchive.Entry e = storageEntry(s);
        int es = s.dtype().bytes();
        if (StridedTensorData.isCContiguous(t.size(), t.stride())) {
            long offset = t.offset();
            return new DenseTensorData(info, () -> zip.bytes(e).slice(offset * es, count * es), order);
        }
        TensorInfo flat = new TensorInfo(name, s.dtype(), new long[] {s.numel()});
        return new StridedTensorData(info, new DenseTensorData(flat, () -> zip.bytes(e), order), t.offset(), t.stride());
    }

    private ZipArchive.Entry storageEntry(Storage s) {
        ZipArchive.Entry e = zip.entry(prefix + "data/" + s.key());
        if (e == null) {
            throw new InputException(file() + ": storage '" + s.key() + "' is missing from the archive (truncated?)");
        }
        long need = s.numel() * s.dtype().bytes();
        if (e.size() < need) {
            throw new InputException(file() + ": storage '" + s.key() + "' has " + e.size() + " bytes, needs " + need
                    + " (" + s.numel() + " x " + s.dtype() + ")");
        }
        return e;
    }

    @Override
    public void close() {
        file.close();
    }
}
