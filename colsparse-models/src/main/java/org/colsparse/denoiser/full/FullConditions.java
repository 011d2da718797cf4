package org.colsparse.denoiser.full;

import org.colsparse.tensor.DType;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The {@code --cond NAME=FILE} files of the full workloads: features the official pipelines compute
 * with tooling colsparse does not run (CLIP, Jukebox), or class ids. Each file holds one tensor; every
 * problem is one line naming the {@code --cond} and the file, because a wrong feature file would
 * otherwise show up only as meaningless samples.
 */
final class FullConditions {
    /** In an accepted shape: any number of rows, at least one. */
    static final long ROWS = -1;

    private FullConditions() {
    }

    /**
     * Both halves of classifier-free guidance as the user's files give them, for encoders colsparse
     * does not run: N conditional rows (the prompts) and M unconditional ones (the empty or a negative prompt).
     */
    record CfgPair(float[][] cond, float[][] uncond) {
        /**
         * One guided batch of samples {@code first .. first + n - 1}, flat: n conditional rows
         * ({@code cond[i mod N]} for sample i) then n unconditional ones ({@code uncond[i mod M]}),
         * the order every full runtime batches them in.
         */
        float[] batch(int first, int n) {
            float[] c = cycled(cond, first, n);
            float[] u = cycled(uncond, first, n);
            float[] all = Arrays.copyOf(c, c.length + u.length);
            System.arraycopy(u, 0, all, c.length, u.length);
            return all;
        }

        /** What sample i is conditioned on, for a preview's row label. */
        String label(int sample) {
            return "text row " + sample % cond.length;
        }
    }

    /** Rejects names {@code id} does not take; the CLI checks them too, this guards API callers. */
    static void onlyKnown(Map<String, Path> conditions, String id, List<String> known) {
        for (String name : conditions.keySet()) {
            if (!known.contains(name)) {
                List<String> flags = known.stream().map(k -> "--cond " + k + "=FILE").toList();
                String list = flags.size() == 1 ? flags.get(0)
                        : String.join(", ", flags.subList(0, flags.size() - 1)) + " and " + flags.get(flags.size() - 1);
                throw new InputException("--cond " + name + ": " + id + " takes only " + list);
            }
        }
    }

    /** The file of a required condition of {@code id}. */
    static Path required(Map<String, Path> conditions, String id, String name) {
        Path file = conditions.get(name);
        if (file == null) {
            throw new InputException("--cond " + name + ": required by the full-size " + id + " (see 'colsparse workloads --preset full')");
        }
        return file;
    }

    /**
     * Float features: one tensor whose shape is one of {@code shapes}, where a leading {@link #ROWS}
     * stands for N >= 1 rows; without it the file is one row. Non-finite values are refused, since
     * they would turn every sample into NaN.
     *
     * @return N rows of (elements / N) values each
     */
    static float[][] floats(String name, Path file, long[]... shapes) {
        return read(name, file, (t, d) -> {
            long[] s = t.shape();
            long[] match = null;
            for (long[] want : shapes) {
                if (fits(s, want)) {
                    match = want;
                    break;
                }
            }
            if (match == null) {
                throw error(name, file, "has shape " + t.shapeString() + ", expected " + describe(shapes));
            }
            if (!t.dtype().isFloating()) {
                throw error(name, file, "is " + t.dtype() + ", expected float features");
            }
            int rows = match[0] == ROWS ? Math.toIntExact(s[0]) : 1;
            int per = Math.toIntExact(t.elementCount() / rows);
            float[][] out = new float[rows][per];
            for (int r = 0; r < rows; r++) {
                d.readFloats((long) r * per, out[r], 0, per);
                for (float v : out[r]) {
                    if (!Float.isFinite(v)) {
                        throw error(name, file, "holds NaN or Inf (row " + r + ")");
                    }
                }
            }
            return out;
        });
    }

    /** Class ids: one (N,) integer tensor, N >= 1, every id in [0, classes). */
    static int[] classIds(String name, Path file, int classes) {
        return read(name, file, (t, d) -> {
            if (t.rank() != 1 || t.dim(0) < 1) {
                throw error(name, file, "has shape " + t.shapeString() + ", expected (N,) class ids with N >= 1");
            }
            if (t.dtype().isFloating() || t.dtype() == DType.BOOL) {
                throw error(name, file, "is " + t.dtype() + ", expected an integer array of class ids");
            }
            double[] v = new double[Math.toIntExact(t.dim(0))];
            d.readDoubles(0, v, 0, v.length);
            int[] ids = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                if (v[i] < 0 || v[i] >= classes) {
                    throw error(name, file, "element " + i + " is " + (long) v[i] + ", expected a class id in [0, " + (classes - 1) + "]");
                }
                ids[i] = (int) v[i];
            }
            return ids;
        });
    }

    /**
     * The rows of samples {@code first .. first + n - 1}, width {@code rows[0].length}, flat: sample i
     * takes row i mod N, as the official scripts repeat prompts.
     */
    static float[] cycled(float[][] rows, int first, int n) {
        int width = rows[0].length;
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[(first + i) % rows.length], 0, out, i * width, width);
        }
        return out;
    }

    /** Reads the file's single tensor with {@code reader}, which throws {@link #error} for what it refuses. */
    private static <T> T read(String name, Path file, BiFunction<TensorInfo, TensorData, T> reader) {
        try (TensorSource src = TensorSources.open(file)) {
            List<TensorInfo> all = src.tensors();
            if (all.size() != 1) {
                throw error(name, file, "holds " + all.size() + " tensors, expected one");
            }
            TensorInfo t = all.get(0);
            return reader.apply(t, src.data(t.name()));
        }
    }

    private static InputException error(String name, Path file, String problem) {
        return new InputException("--cond " + name + ": " + file + " " + problem);
    }

    private static boolean fits(long[] shape, long[] want) {
        if (shape.length != want.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (want[i] == ROWS ? shape[i] < 1 : shape[i] != want[i]) {
                return false;
            }
        }
        return true;
    }

    /** "(N, 768) or (N, 1, 768)": the shapes as NumPy prints them, N for the rows. */
    private static String describe(long[][] shapes) {
        List<String> each = new ArrayList<>();
        for (long[] s : shapes) {
            List<String> dims = Arrays.stream(s).mapToObj(x -> x == ROWS ? "N" : Long.toString(x)).toList();
            each.add("(" + String.join(", ", dims) + ")");
        }
        return each.size() == 1 ? each.get(0)
                : String.join(", ", each.subList(0, each.size() - 1)) + " or " + each.get(each.size() - 1);
    }
}
