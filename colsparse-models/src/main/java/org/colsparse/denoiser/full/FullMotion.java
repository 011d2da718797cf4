package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the full-size motion workloads (MDM, EDGE) share: checkpoint key mapping, conditioning files, a curve preview. */
final class FullMotion {
    private FullMotion() {
    }

    /**
     * A view of {@code source} under the model's key names: {@code mapping} turns a file's key into
     * the model's key, or null for a key an explicit rule ignores. Keys it leaves alone stay, so
     * {@link org.colsparse.runtime.Params#load} still reports everything unexpected; two keys that
     * map to one name (a wrapped and a plain copy) are an error, never a silent pick.
     */
    static TensorSource mapped(TensorSource source, Function<String, String> mapping) {
        Map<String, String> toFile = new LinkedHashMap<>();
        List<TensorInfo> infos = new ArrayList<>();
        for (TensorInfo t : source.tensors()) {
            String name = mapping.apply(t.name());
            if (name == null) {
                continue;
            }
            String other = toFile.putIfAbsent(name, t.name());
            if (other != null) {
                throw new InputException(source.file() + ": keys '" + other + "' and '" + t.name() + "' both hold the model's " + name);
            }
            infos.add(new TensorInfo(name, t.dtype(), t.shape()));
        }
        return new TensorSource() {
            @Override
            public String file() {
                return source.file();
            }

            @Override
            public List<TensorInfo> tensors() {
                return infos;
            }

            @Override
            public TensorData data(String name) {
                String key = toFile.get(name);
                if (key == null) {
                    throw new IllegalArgumentException("no tensor " + name + " in " + source.file());
                }
                return source.data(key);
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    /**
     * Reads a {@code --cond} file holding one tensor of shape {@code perSample} (one condition for
     * every sample) or {@code (B, perSample...)} (sample i takes row i mod B).
     *
     * @return one row of {@code prod(perSample)} floats per condition
     */
    static float[][] condition(String name, Path file, long... perSample) {
        String want = Arrays.toString(perSample) + " or [B, " + Arrays.toString(perSample).substring(1);
        try (TensorSource src = TensorSources.open(file)) {
            if (src.tensors().size() != 1) {
                throw new InputException("--cond " + name + ": " + file + " holds " + src.tensors().size() + " tensors, expected one of shape " + want);
            }
            TensorInfo t = src.tensors().get(0);
            long[] s = t.shape();
            boolean single = Arrays.equals(s, perSample);
            boolean batched = s.length == perSample.length + 1 && s[0] >= 1 && Arrays.equals(Arrays.copyOfRange(s, 1, s.length), perSample);
            if (!single && !batched) {
                throw new InputException("--cond " + name + ": " + file + " has shape " + t.shapeString() + ", expected " + want);
            }
            if (!t.dtype().isFloating()) {
                throw new InputException("--cond " + name + ": " + file + " is " + t.dtype() + ", expected floating point");
            }
            int rows = single ? 1 : Math.toIntExact(s[0]);
            int per = Math.toIntExact(t.elementCount() / rows);
            float[][] out = new float[rows][per];
            TensorData d = src.data(t.name());
            for (int r = 0; r < rows; r++) {
                d.readFloats((long) r * per, out[r], 0, per);
                for (float v : out[r]) {
                    if (!Float.isFinite(v)) {
                        throw new InputException("--cond " + name + ": " + file + " holds NaN or Inf");
                    }
                }
            }
            return out;
        }
    }

    /** The required file of {@code name}, or an error naming it and where it comes from. */
    static Path required(Map<String, Path> conditions, String name, String how) {
        Path p = conditions.get(name);
        if (p == null) {
            throw new InputException("--cond " + name + "=FILE is required: " + how);
        }
        return p;
    }

    /** Rejects names the workload does not take (the CLI checks too; this guards API callers). */
    static void onlyKnown(Map<String, Path> conditions, String id, List<String> known) {
        for (String k : conditions.keySet()) {
            if (!known.contains(k)) {
                throw new InputException("--cond: " + id + " (full) takes only " + String.join(", ", known) + ", got '" + k + "'");
            }
        }
    }

    /** (samples, shape...) tensor where sample i holds condition row i mod rows. */
    static NDArray batch(NDManager m, float[][] rows, int samples, long... perSample) {
        int per = rows[0].length;
        float[] v = new float[samples * per];
        for (int i = 0; i < samples; i++) {
            System.arraycopy(rows[i % rows.length], 0, v, i * per, per);
        }
        long[] shape = new long[perSample.length + 1];
        shape[0] = samples;
        System.arraycopy(perSample, 0, shape, 1, perSample.length);
        return m.create(v, new Shape(shape));
    }

    /**
     * One panel per sample: the chosen feature channels over the frames, each on its own
     * auto-scaled band. For outputs that cannot be turned into a skeleton without statistics that
     * the checkpoint does not hold.
     *
     * @param values (samples, frames, features) row-major
     */
    static void writeCurves(Path file, float[] values, int samples, int frames, int features, int[] channels, String[] labels, String title) {
        int bandH = 46;
        int plotW = 720;
        int labelW = 150;
        int panelH = 24 + channels.length * bandH;
        BufferedImage img = new BufferedImage(labelW + plotW + 10, 24 + samples * panelH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.drawString(title, 6, 16);
        for (int s = 0; s < samples; s++) {
            int top = 24 + s * panelH;
            g.setColor(Color.DARK_GRAY);
            g.drawString("sample " + s + " (" + frames + " frames)", 6, top + 16);
            for (int c = 0; c < channels.length; c++) {
                int y0 = top + 24 + c * bandH;
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int f = 0; f < frames; f++) {
                    float v = values[(s * frames + f) * features + channels[c]];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                float span = hi - lo > 1e-6f ? hi - lo : 1;
                g.setColor(new Color(235, 235, 235));
                g.drawRect(labelW, y0, plotW, bandH - 6);
                g.setColor(Color.DARK_GRAY);
                g.drawString(labels[c], 6, y0 + 14);
                g.drawString(String.format("[%.2f, %.2f]", lo, hi), 6, y0 + 30);
                g.setColor(new Color(40, 80, 180));
                g.setStroke(new BasicStroke(1.5f));
                for (int f = 1; f < frames; f++) {
                    float a = values[(s * frames + f - 1) * features + channels[c]];
                    float b = values[(s * frames + f) * features + channels[c]];
                    int x1 = labelW + (f - 1) * plotW / Math.max(1, frames - 1);
                    int x2 = labelW + f * plotW / Math.max(1, frames - 1);
                    g.drawLine(x1, y0 + bandH - 8 - (int) ((a - lo) / span * (bandH - 12)),
                            x2, y0 + bandH - 8 - (int) ((b - lo) / span * (bandH - 12)));
                }
                g.setStroke(new BasicStroke(1f));
            }
        }
        g.dispose();
        writePng(img, file);
    }

    static void writePng(BufferedImage img, Path file) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".preview", ".png");
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
