package org.colsparse.tensor;

import org.colsparse.tensor.RestrictedUnpickler.Storage;
import org.colsparse.tensor.RestrictedUnpickler.Tensor;
import org.colsparse.tensor.RestrictedUnpickler.Tuple;
import org.colsparse.util.InputException;
import org.colsparse.util.Printable;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
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
 *
 * <p>The object tree is a graph: the pickle memo lets one container appear under many names, so
 * a few hundred bytes can describe 2^60 paths. The walk is bounded ({@link #MAX_WALK},
 * {@link #MAX_TENSORS}), and so is the reading that a listing implies: a tensor may view more
 * elements than its storage holds (stride 0) only up to {@link #MAX_REPEATING_VIEW}, and all
 * tensors together at most {@link #MAX_VIEWS_PER_ELEMENT} times the elements stored, so reading
 * every tensor costs time in proportion to the file. docs/input-limits.md lists the limits.
 */
final class TorchZipSource extends NamedTensors {
    private static final int MAX_DEPTH = 64;
    /** data.pkl of a real checkpoint is a few MB (SD 1.5: ~1,100 tensors, ~0.2 MB); it is read into the heap whole. */
    static final long MAX_PICKLE = 64L << 20;
    /**
     * Objects visited plus characters of the names built on the way: SD 1.5 needs ~0.06M, a
     * training checkpoint of 100k tensors (weights, EMA, two Adam moments) ~8M; 16.8M take about
     * a second.
     */
    static final long MAX_WALK = 1L << 24;
    /** Tensors listed: SD 1.5 has ~1,100; 262,144 is more than any single checkpoint file holds. */
    static final int MAX_TENSORS = 1 << 18;
    /** Elements of one tensor that repeats stored elements (an expanded view, stride 0): 64M, a fraction of a second to read. */
    static final long MAX_REPEATING_VIEW = 1L << 26;
    /**
     * Tied weights list one tensor under two names and a checkpoint may keep the same state dict
     * as "model" and "ema": the tensors listed may hold that many times the stored elements (plus
     * {@link #MAX_REPEATING_VIEW}), no more.
     */
    static final long MAX_VIEWS_PER_ELEMENT = 64;

    private final OpenedFile file;
    private final ZipArchive zip;
    private final String prefix;
    private final ByteOrder order;
    private long walked;
    private long listedElements;
    /** Elements of every storage a listed tensor views, by key. */
    private final Map<String, Long> viewedStorages = new HashMap<>();
    /** Names each tensor object is listed under so far. */
    private final Map<Tensor, Integer> listings = new IdentityHashMap<>();
    /** Containers already walked that hold no tensor: another path to one is not walked again. */
    private final Set<Object> tensorFree = Collections.newSetFromMap(new IdentityHashMap<>());

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
                    default -> throw new InputException(f.name + ": unknown byteorder '" + Printable.excerpt(s) + "'");
                };
            }
            ZipArchive.Entry pkl = zip.entry(prefix + "data.pkl");
            if (pkl.size() > MAX_PICKLE) {
                throw new InputException(f.name + ": data.pkl of " + pkl.size() + " bytes is implausibly large (at most "
                        + (MAX_PICKLE >> 20) + " MiB are read; a checkpoint's is a few MB)");
            }
            Object root = RestrictedUnpickler.load(f.name, mode, zip.prefix(pkl, (int) pkl.size()));
            TorchZipSource src = new TorchZipSource(f, zip, prefix, order);
            if (root instanceof Tensor t) {
                src.add(src.tensor(stem(path.getFileName().toString()), t));
            } else {
                src.walk(root, "", Collections.newSetFromMap(new IdentityHashMap<>()), 0);
            }
            src.checkListedElements();
            return src;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void walk(Object o, String name, Set<Object> path, int depth) {
        walked += 1 + name.length();
        if (walked > MAX_WALK) {
            throw new InputException(file() + ": walking the object tree takes more than " + MAX_WALK + " objects and name"
                    + " characters (shared references or very long names: a pickle bomb, not a checkpoint)");
        }
        if (o instanceof Tensor t) {
            if (tensorCount() == MAX_TENSORS) {
                throw new InputException(file() + ": lists more than " + MAX_TENSORS + " tensors");
            }
            if (listings.merge(t, 1, Integer::sum) > MAX_VIEWS_PER_ELEMENT) {
                throw new InputException(file() + ": lists one tensor under more than " + MAX_VIEWS_PER_ELEMENT
                        + " names, e.g. '" + Printable.excerpt(name) + "' (a pickle bomb, not a checkpoint)");
            }
            add(tensor(name, t));
            return;
        }
        if (!holdsTensors(o) || tensorFree.contains(o)) {
            return; // the root itself may be a number or a foreign object
        }
        int before = tensorCount();
        if (depth > MAX_DEPTH || !path.add(o)) {
            throw new InputException(file() + ": object tree is cyclic or nested more than " + MAX_DEPTH + " deep");
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (holdsTensors(v)) {
                    walk(v, join(name, String.valueOf(k)), path, depth + 1);
                }
            });
        } else {
            List<?> items = o instanceof Tuple t ? t.items() : (List<?>) o;
            for (int i = 0; i < items.size(); i++) {
                if (holdsTensors(items.get(i))) {
                    walk(items.get(i), join(name, Integer.toString(i)), path, depth + 1);
                }
            }
        }
        path.remove(o);
        if (tensorCount() == before) {
            tensorFree.add(o);
        }
    }

    /** Numbers, strings, None, bytes and foreign objects are passed over without building a name for them. */
    private static boolean holdsTensors(Object o) {
        return o instanceof Tensor || o instanceof Map<?, ?> || o instanceof List<?> || o instanceof Tuple;
    }

    private void checkListedElements() {
        long stored = 0;
        for (long n : viewedStorages.values()) {
            stored += n; // no overflow: entries do not overlap, so these are at most the file's bytes (or the inflate cap)
        }
        long allowed = stored > (Long.MAX_VALUE - MAX_REPEATING_VIEW) / MAX_VIEWS_PER_ELEMENT ? Long.MAX_VALUE
                : stored * MAX_VIEWS_PER_ELEMENT + MAX_REPEATING_VIEW;
        if (listedElements > allowed) {
            throw new InputException(file() + ": its " + tensorCount() + " tensors list " + listedElements + " elements over "
                    + stored + " stored ones (the same storages under more than " + MAX_VIEWS_PER_ELEMENT
                    + " names: a pickle bomb, not a checkpoint)");
        }
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
            throw new InputException(file() + ": tensor '" + Printable.excerpt(name) + "' has an impossible size " + Arrays.toString(t.size()));
        }
        if (count > 0 && last >= s.numel()) {
            throw new InputException(file() + ": tensor '" + Printable.excerpt(name) + "' (size " + Arrays.toString(t.size()) + ", stride "
                    + Arrays.toString(t.stride()) + ", offset " + t.offset() + ") reaches beyond its storage of "
                    + s.numel() + " elements");
        }
        if (count > s.numel() && count > MAX_REPEATING_VIEW) {
            throw new InputException(file() + ": tensor '" + Printable.excerpt(name) + "' (size " + Arrays.toString(t.size()) + ", stride "
                    + Arrays.toString(t.stride()) + ") views " + count + " elements of a storage of " + s.numel()
                    + "; a view that repeats stored elements is read up to " + MAX_REPEATING_VIEW + " elements");
        }
        ZipArchive.Entry e = storageEntry(s);
        listedElements = count > Long.MAX_VALUE - listedElements ? Long.MAX_VALUE : listedElements + count;
        viewedStorages.putIfAbsent(s.key(), s.numel());
        int es = s.dtype().bytes();
        if (count == 0) {
            return new DenseTensorData(info, () -> ByteSource.of(new byte[0]), order);
        }
        if (StridedTensorData.isCContiguous(t.size(), t.stride())) {
            long offset = t.offset();
            // exact: offset + count <= numel, whose byte size storageEntry checked to fit in a long
            return new DenseTensorData(info, () -> zip.bytes(e).slice(offset * es, count * es), order);
        }
        TensorInfo flat = new TensorInfo(name, s.dtype(), new long[] {s.numel()});
        return new StridedTensorData(info, new DenseTensorData(flat, () -> zip.bytes(e), order), t.offset(), t.stride());
    }

    private ZipArchive.Entry storageEntry(Storage s) {
        ZipArchive.Entry e = zip.entry(prefix + "data/" + s.key());
        if (e == null) {
            throw new InputException(file() + ": storage '" + Printable.excerpt(s.key()) + "' is missing from the archive (truncated?)");
        }
        long need;
        try {
            need = Math.multiplyExact(s.numel(), s.dtype().bytes());
        } catch (ArithmeticException ex) {
            // unchecked, the product wrapped: 2^62 + 6 floats "needed" 24 bytes, and offset 2^62 read elements 0-5
            throw new InputException(file() + ": storage '" + Printable.excerpt(s.key()) + "' declares " + s.numel() + " elements of " + s.dtype()
                    + ", more bytes than any file holds");
        }
        if (e.size() < need) {
            throw new InputException(file() + ": storage '" + Printable.excerpt(s.key()) + "' has " + e.size() + " bytes, needs " + need
                    + " (" + s.numel() + " x " + s.dtype() + ")");
        }
        return e;
    }

    @Override
    public void close() {
        file.close();
    }
}
