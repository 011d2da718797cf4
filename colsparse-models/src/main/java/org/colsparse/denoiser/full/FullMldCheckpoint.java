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
 * The denoiser's tensors in an MLD checkpoint. The official file is a PyTorch Lightning checkpoint
 * whose {@code state_dict} holds the whole {@code MLD} module (demo.py loads
 * {@code torch.load(ckpt)["state_dict"]} with strict=True): {@code denoiser.*} is the denoiser;
 * {@code vae.*} (the motion VAE), {@code text_encoder.*} (frozen CLIP) and {@code t2m_*} (the evaluation
 * encoders) are other modules. Rule: exactly the tensors under {@code state_dict.denoiser.} (or
 * {@code denoiser.} in a bare state dict saved from the module) are read, under their module names;
 * every other tensor — the other modules and Lightning's own entries outside {@code state_dict}
 * (optimizer_states, lr_schedulers, callbacks) — is not part of the denoiser and is ignored. A file
 * without them is reported with all its missing keys.
 */
final class FullMldCheckpoint implements TensorSource {
    private static final String LIGHTNING = "state_dict.";
    private static final String DENOISER = "denoiser.";

    private final TensorSource file;
    /** Model name -> name in the file. */
    private final Map<String, String> names = new LinkedHashMap<>();

    private FullMldCheckpoint(TensorSource file) {
        this.file = file;
        for (TensorInfo t : file.tensors()) {
            String n = t.name();
            String model = n.startsWith(LIGHTNING + DENOISER) ? n.substring(LIGHTNING.length()) : n.startsWith(DENOISER) ? n : null;
            if (model != null && names.put(model, n) != null) {
                throw new InputException(file.file() + ": " + model + " appears both inside and outside state_dict");
            }
        }
    }

    /**
     * Opens the file. A Lightning checkpoint may also pickle objects the restricted reader refuses
     * (e.g. OmegaConf configs among saved hyper-parameters); then the message says how to keep only
     * the weights, which this class reads as well.
     */
    static FullMldCheckpoint open(Path path) {
        try {
            return new FullMldCheckpoint(TensorSources.open(path));
        } catch (InputException e) {
            if (e.getMessage() != null && e.getMessage().contains("refuses pickle global")) {
                throw new InputException(e.getMessage() + "; keep only the weights with python -c \"import torch;"
                        + " torch.save(torch.load('" + path.getFileName() + "', map_location='cpu', weights_only=False)['state_dict'],"
                        + " 'mld_state_dict.pt')\" and pass that file");
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

    @Override
    public TensorData data(String name) {
        return file.data(names.getOrDefault(name, name));
    }

    @Override
    public void close() {
        file.close();
    }
}
