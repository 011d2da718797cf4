package org.colsparse.runtime;

import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A checkpoint's tensors under the model's own names, whether the file is the model's state dict
 * itself or a training script's checkpoint that wraps it ({@code {"epoch", "model_state_dict",
 * "optimizer_state_dict", "train_losses", ...}}, Lightning's {@code state_dict}, an {@code ema} copy).
 * The wrapper is found by the model's declared names: a file that holds any of them at its root is
 * the plain state dict; otherwise the wrapper among {@link #WRAPPERS} under which most of them are
 * found is used (the first in that order on a tie, so EMA weights win over the raw ones, as the
 * official samplers choose), and everything outside it (optimizer state, other copies) is skipped
 * unread. Tensors inside the wrapper that the model does not declare stay visible, so
 * {@link Params#load} reports them. A file where no wrapper holds any declared name is left as it
 * is, and the loader's message lists what it holds.
 */
public final class WrappedStateDict implements TensorSource {
    /** The keys training scripts put a model's state dict under, in order of preference. */
    public static final List<String> WRAPPERS = List.of("ema", "model_state_dict", "state_dict", "model");

    private final TensorSource file;
    private final String prefix;
    private final List<TensorInfo> tensors = new ArrayList<>();
    private final int skipped;

    private WrappedStateDict(TensorSource file, String prefix) {
        this.file = file;
        this.prefix = prefix;
        int outside = 0;
        for (TensorInfo t : file.tensors()) {
            if (t.name().startsWith(prefix)) {
                tensors.add(new TensorInfo(t.name().substring(prefix.length()), t.dtype(), t.shape()));
            } else {
                outside++;
            }
        }
        this.skipped = outside;
    }

    /** {@code file} seen through the wrapper that holds the model's {@code declared} names; closing the view closes the file. */
    public static WrappedStateDict of(TensorSource file, Set<String> declared) {
        List<String> names = file.tensors().stream().map(TensorInfo::name).toList();
        if (count(names, "", declared) > 0) {
            return new WrappedStateDict(file, "");
        }
        String best = "";
        int most = 0;
        for (String w : WRAPPERS) {
            int n = count(names, w + ".", declared);
            if (n > most) {
                best = w + ".";
                most = n;
            }
        }
        return new WrappedStateDict(file, best);
    }

    private static int count(List<String> names, String prefix, Set<String> declared) {
        int n = 0;
        for (String name : names) {
            if (name.startsWith(prefix) && declared.contains(name.substring(prefix.length()))) {
                n++;
            }
        }
        return n;
    }

    /** The wrapper's key path with its dot ({@code "model_state_dict."}), or "" for a plain state dict. */
    public String prefix() {
        return prefix;
    }

    /** Tensors of the file outside the wrapper, skipped unread. */
    public int skipped() {
        return skipped;
    }

    /** The file, and the wrapper when there is one, so a reported key can be found in it. */
    @Override
    public String file() {
        return prefix.isEmpty() ? file.file() : file.file() + " (weights under '" + prefix + "')";
    }

    @Override
    public List<TensorInfo> tensors() {
        return List.copyOf(tensors);
    }

    @Override
    public TensorData data(String name) {
        return file.data(prefix + name);
    }

    @Override
    public void close() {
        file.close();
    }
}
