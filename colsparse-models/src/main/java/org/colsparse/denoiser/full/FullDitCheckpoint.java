package org.colsparse.denoiser.full;

import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DiT checkpoint as {@code DiT.load_state_dict} sees it. Two layouts exist (facebookresearch/DiT
 * {@code download.py} {@code find_model}):
 * <ul>
 *   <li>the released {@code DiT-XL-2-256x256.pt} / {@code DiT-XL-2-512x512.pt}: a plain state dict,
 *       keys used as they are;</li>
 *   <li>a {@code train.py} checkpoint {@code {"model", "ema", "opt", "args"}}: like {@code find_model},
 *       the EMA weights are the model ({@code ema.} stripped); {@code model.*} (the raw, non-averaged
 *       weights) and {@code opt.*} (Adam state) are ignored by name. Any other key stays visible, so
 *       the loader reports it as unexpected. (Such a file also pickles {@code args}, an argparse
 *       Namespace, which the restricted reader refuses; the error then says how to save {@code ckpt["ema"]} alone.)</li>
 * </ul>
 */
final class FullDitCheckpoint implements TensorSource {
    private final TensorSource file;
    /** Model name -> name in the file. */
    private final Map<String, String> names = new LinkedHashMap<>();

    private FullDitCheckpoint(TensorSource file) {
        this.file = file;
        boolean training = file.tensors().stream().anyMatch(t -> t.name().startsWith("ema."));
        for (TensorInfo t : file.tensors()) {
            String n = t.name();
            if (!training) {
                names.put(n, n);
            } else if (n.startsWith("ema.")) {
                names.put(n.substring("ema.".length()), n);
            } else if (!n.startsWith("model.") && !n.startsWith("opt.")) {
                names.put(n, n);
            }
        }
    }

    static FullDitCheckpoint open(Path path) {
        try {
            return new FullDitCheckpoint(TensorSources.open(path));
        } catch (InputException e) {
            if (e.getMessage() != null && e.getMessage().contains("refuses pickle global")) {
                throw new InputException(e.getMessage() + "; keep only the EMA weights with python -c \"import torch;"
                        + " torch.save(torch.load('" + path.getFileName() + "', map_location='cpu', weights_only=False)['ema'],"
                        + " 'dit_ema.pt')\" and pass that file");
            }
            throw e;
        }
    }

    @Override
    public String file() {
        return file.file();
    }

    @Override
    public List<TensorInfo> tensors() {
        Map<String, TensorInfo> byFileName = new LinkedHashMap<>();
        for (TensorInfo t : file.tensors()) {
            byFileName.put(t.name(), t);
        }
        List<TensorInfo> out = new ArrayList<>();
        names.forEach((model, inFile) -> {
            TensorInfo t = byFileName.get(inFile);
            out.add(new TensorInfo(model, t.dtype(), t.shape()));
        });
        return out;
    }

    /** The tensor's info under its model name, or null. */
    TensorInfo info(String name) {
        for (TensorInfo t : tensors()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public TensorData data(String name) {
        return file.data(names.getOrDefault(name, name));
    }

    @Override
    public void close() {
        file.close();
    }
}
