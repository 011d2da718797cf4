package org.colsparse.cli;

import org.colsparse.pipeline.RecordedMasks;
import org.colsparse.systolic.ActivationMask;
import org.colsparse.systolic.Topology;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GEMMs a cycle command works on and the activation masks that let some of them skip columns:
 * a SCALE-Sim topology or one GEMM given by its dimensions, masks as one file or a folder of
 * {@code <layer>.npy}. {@code gemm} and {@code simulate} take exactly these options.
 */
final class GemmInputs {
    @Option(names = "--topology", paramLabel = "FILE", description = "SCALE-Sim topology CSV: GEMM (Layer, M, N, K) or conv (Layer name, IFMAP Height, ...)")
    Path topology;
    @Option(names = "--m", paramLabel = "N", description = "rows of the activation A (tokens) of a single GEMM")
    Long m;
    @Option(names = "--n", paramLabel = "N", description = "columns of the weight W (output channels) of a single GEMM")
    Long n;
    @Option(names = "--k", paramLabel = "N", description = "shared dimension (input channels) of a single GEMM")
    Long k;
    @Option(names = "--name", defaultValue = "gemm", paramLabel = "NAME", description = "layer name of a single GEMM (default: ${DEFAULT-VALUE})")
    String name;
    @Option(names = "--mask", paramLabel = "FILE", description = "activation A of a single GEMM (.npy etc., channel-last, M x K after flattening) for column skipping")
    Path mask;
    @Option(names = "--mask-dir", paramLabel = "DIR", description = "folder of masks named <layer>.npy; layers with a mask skip columns, the others run dense")
    Path maskDir;
    @Option(names = "--threshold", defaultValue = "0.01", paramLabel = "TAU", description = "near-zero threshold tau of the masks, |a| <= tau (default: ${DEFAULT-VALUE})")
    double threshold;
    @Option(names = "--masks", paramLabel = "FILE", description = "recorded masks (masks.npz from profile --out or run, docs/masks.md): the profiled model's GEMMs "
            + "of one denoiser call, each headline consumer skipping with its site's real mask (consumers of time-mlp sites run dense)")
    Path recorded;
    @Option(names = "--call", paramLabel = "NAME", description = "with --masks: which recorded call (c0, c1, ...; default: the first)")
    String call;

    /** A layer's activation mask and the file it came from. */
    record LayerMask(Path file, ActivationMask mask) {
    }

    /** The GEMMs in order and, by layer name, the masks of those that have one. */
    record Layers(List<Gemm> gemms, Map<String, LayerMask> masks) {
        Layers {
            gemms = List.copyOf(gemms);
            masks = Collections.unmodifiableMap(new LinkedHashMap<>(masks));
        }

        Map<String, ActivationMask> activationMasks() {
            Map<String, ActivationMask> out = new LinkedHashMap<>();
            masks.forEach((layer, m) -> out.put(layer, m.mask()));
            return out;
        }
    }

    /** Checks the options together and reads the topology and the masks. */
    Layers resolve() {
        OptionRules.threshold(threshold);
        OptionRules.inputFile("--topology", topology);
        OptionRules.inputFile("--mask", mask);
        OptionRules.inputFolder("--mask-dir", maskDir);
        OptionRules.inputFile("--masks", recorded);
        if (mask != null && maskDir != null) {
            throw new InputException("--mask and --mask-dir: give one of them");
        }
        Map<String, LayerMask> masks = new LinkedHashMap<>();
        if (recorded != null) {
            return recorded(masks);
        }
        if (call != null) {
            throw new InputException("--call: only with --masks");
        }
        if (topology != null) {
            if (m != null || n != null || k != null) {
                throw new InputException("--topology: give either a topology or --m/--n/--k, not both");
            }
            if (mask != null) {
                throw new InputException("--mask: with --topology, name masks per layer with --mask-dir DIR (DIR/<layer>.npy)");
            }
            List<Gemm> gemms = Topology.read(topology);
            for (Gemm g : gemms) {
                Path file = maskDir == null ? null : layerMask(maskDir, g.name());
                if (file != null) {
                    ActivationMask am = readMask(file, threshold);
                    if (am.m() != g.m() || am.k() != g.k()) {
                        throw new InputException(file + ": mask is " + am.m() + " x " + am.k() + " (tokens x channels) but layer "
                                + g.name() + " has M " + g.m() + " x K " + g.k());
                    }
                    masks.put(g.name(), new LayerMask(file, am));
                }
            }
            return new Layers(gemms, masks);
        }
        // A single GEMM may take M and K from its mask.
        Path file = mask != null ? mask : maskDir != null ? layerMask(maskDir, name) : null;
        ActivationMask am = file == null ? null : readMask(file, threshold);
        long mm = dim(m, am == null ? null : (long) am.m(), "--m");
        long kk = dim(k, am == null ? null : (long) am.k(), "--k");
        if (n == null) {
            throw new InputException("--n: missing (give --m --n --k, or --topology FILE)");
        }
        if (am != null && (am.m() != mm || am.k() != kk)) {
            throw new InputException(file + ": mask is " + am.m() + " x " + am.k() + " (tokens x channels) but the GEMM's A is --m "
                    + mm + " x --k " + kk);
        }
        if (am != null) {
            masks.put(name, new LayerMask(file, am));
        }
        return new Layers(List.of(new Gemm(name, mm, positive(n, "--n"), kk)), masks);
    }

    /** The recorded call's GEMMs with its real masks; the masks' own threshold applies. */
    private Layers recorded(Map<String, LayerMask> masks) {
        if (topology != null || m != null || n != null || k != null || mask != null || maskDir != null) {
            throw new InputException("--masks: gives the GEMMs and their masks; do not combine it with --topology, --m/--n/--k, --mask or --mask-dir");
        }
        RecordedMasks r = RecordedMasks.read(recorded);
        if (r.calls().isEmpty() || r.gemms().isEmpty()) {
            throw new InputException(recorded + ": holds no recorded call");
        }
        RecordedMasks.Call c = r.calls().get(0);
        if (call != null) {
            c = r.calls().stream().filter(x -> x.name().equals(call)).findFirst().orElseThrow(() -> new InputException(
                    "--call: " + recorded + " has no call '" + call + "'; it has " + r.calls().stream().map(RecordedMasks.Call::name).toList()));
        }
        List<Gemm> gemms = r.gemms().stream().map(org.colsparse.runtime.GemmRecorder.Op::gemm).toList();
        r.operands(c).forEach((layer, a) -> masks.put(layer, new LayerMask(recorded, a)));
        return new Layers(gemms, masks);
    }

    private static Path layerMask(Path dir, String layer) {
        Path p = dir.resolve(layer + ".npy");
        return Files.isRegularFile(p) ? p : null;
    }

    /** Reads the one tensor of a mask file into a column mask at threshold tau. */
    private static ActivationMask readMask(Path file, double tau) {
        try (TensorSource src = TensorSources.open(file)) {
            List<TensorInfo> ts = src.tensors();
            if (ts.size() != 1) {
                throw new InputException(file + ": holds " + ts.size() + " tensors; a mask file must hold exactly one activation");
            }
            return ActivationMask.of(src.data(ts.get(0).name()), tau, file.toString());
        }
    }

    private static long dim(Long given, Long fromMask, String opt) {
        if (given != null) {
            return positive(given, opt);
        }
        if (fromMask != null) {
            return fromMask;
        }
        throw new InputException(opt + ": missing (give --m --n --k, or --topology FILE)");
    }

    private static long positive(long v, String opt) {
        if (v <= 0) {
            throw new InputException(opt + ": must be a positive integer, got " + v);
        }
        return v;
    }
}
