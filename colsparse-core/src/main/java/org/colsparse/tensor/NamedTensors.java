package org.colsparse.tensor;

import org.colsparse.util.InputException;
import org.colsparse.util.Printable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared part of every source: tensors by name in file order, and the error for a missing name. */
abstract class NamedTensors implements TensorSource {
    private final String file;
    private final Map<String, TensorData> byName = new LinkedHashMap<>();

    NamedTensors(String file) {
        this.file = file;
    }

    void add(TensorData data) {
        String name = data.info().name();
        if (byName.putIfAbsent(name, data) != null) {
            throw new InputException(file + ": two tensors named '" + Printable.excerpt(name) + "'");
        }
    }

    int tensorCount() {
        return byName.size();
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public List<TensorInfo> tensors() {
        List<TensorInfo> out = new ArrayList<>(byName.size());
        byName.values().forEach(d -> out.add(d.info()));
        return List.copyOf(out);
    }

    @Override
    public TensorData data(String name) {
        TensorData d = byName.get(name);
        if (d == null) {
            String known = String.join(", ", byName.keySet().stream().limit(8).map(Printable::excerpt).toList())
                    + (byName.size() > 8 ? ", ..." : "");
            throw new InputException(file + ": no tensor named '" + Printable.excerpt(name) + "' (it has: " + known + ")");
        }
        return d;
    }

    static String stem(String fileName) {
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        String base = fileName.substring(slash + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }
}
