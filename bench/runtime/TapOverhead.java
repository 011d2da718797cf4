import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Profiler;
import org.colsparse.catalog.Catalog;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.StepListener;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sparsity.SiteAccumulator;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Cost of the GELU tap on a full profile run: the same sampling loop (same seed) without a tap,
 * with an observing tap that only copies each site's output out of PyTorch (channel-last), and
 * with the real profile (tap + analyzer at the given thresholds/tile heights). Runs alternate so
 * background load hits all three alike; the minimum (least disturbed by other jobs) and the median
 * of each are reported, as wall time and as
 * process CPU time (PyTorch runs single-threaded on the calling thread, so CPU time is the
 * work done and stays meaningful when other jobs share the machine).
 *
 * Usage (from the repository root, after a build): bench/runtime/tap-overhead.sh [samples steps repeats [default|sweep]]
 */
public final class TapOverhead {
    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // "default": profile's defaults (tau 0.01, R 32); "sweep": 5 thresholds x 5 tile heights
        boolean sweep = args.length > 3 && args[3].equals("sweep");
        AnalysisConfig analysis = sweep ? new AnalysisConfig(AnalysisConfig.DEFAULT_SWEEP, new int[] {8, 16, 32, 64, 128})
                : AnalysisConfig.defaults();
        try (NDManager m = Torch.manager(); LoadedWorkload w = Catalog.runtime("ddpm-mnist").load(m, null)) {
            // warm-up of all three paths: JIT (the analyzer's kernel above all) and oneDNN kernels
            for (int i = 0; i < 3; i++) {
                w.sample(samples, 10, 0, null, StepListener.NONE);
                w.sample(samples, 10, 0, GeluTap.observing((site, data, rows) -> { }), StepListener.NONE);
                Profiler.run(w, new Profiler.Config(samples, 10, 0, analysis, 10), StepListener.NONE);
            }
            double[][] wall = new double[3][repeats];
            double[][] cpu = new double[3][repeats];
            for (int r = 0; r < repeats; r++) {
                for (int mode = 0; mode < 3; mode++) {
                    long c0 = cpuNanos();
                    long t0 = System.nanoTime();
                    if (mode == 0) {
                        w.sample(samples, steps, r, null, StepListener.NONE);
                    } else if (mode == 1) {
                        w.sample(samples, steps, r, GeluTap.observing((site, data, rows) -> { }), StepListener.NONE);
                    } else {
                        Profiler.run(w, new Profiler.Config(samples, steps, r, analysis, 10), StepListener.NONE);
                    }
                    wall[mode][r] = (System.nanoTime() - t0) / 1e9;
                    cpu[mode][r] = (cpuNanos() - c0) / 1e9;
                }
                System.err.printf("repeat %d wall/cpu s: no tap %.2f/%.2f, observing tap %.2f/%.2f, profile %.2f/%.2f%n", r,
                        wall[0][r], cpu[0][r], wall[1][r], cpu[1][r], wall[2][r], cpu[2][r]);
            }
            // the analyzer's own share, timed inside the run with thread CPU time, so other jobs barely matter
            var bean = ManagementFactory.getThreadMXBean();
            var sites = w.sites();
            SiteAccumulator[] acc = new SiteAccumulator[sites.size()];
            for (var site : sites) {
                acc[site.index()] = new SiteAccumulator(site.name(), site.channels(), analysis);
            }
            long[] inside = {0};
            long c0 = bean.getCurrentThreadCpuTime();
            w.sample(samples, steps, 0, GeluTap.observing((site, data, rows) -> {
                long a = bean.getCurrentThreadCpuTime();
                acc[site.index()].acceptCall(data, 0, rows);
                inside[0] += bean.getCurrentThreadCpuTime() - a;
            }), StepListener.NONE);
            long total = bean.getCurrentThreadCpuTime() - c0;
            System.out.printf("analyzer inside one observed run: %.3f s of %.3f s thread CPU (%.1f %%)%n", inside[0] / 1e9, total / 1e9,
                    100.0 * inside[0] / total);
            // the tap's copy out of PyTorch (channel-last) for one step's 7 site outputs, measured as
            // GELU with an observing tap minus GELU alone, against one plain step, in thread CPU time
            long p0 = bean.getCurrentThreadCpuTime();
            w.sample(samples, steps, 0, null, StepListener.NONE);
            double plainStep = (bean.getCurrentThreadCpuTime() - p0) / 1e9 / steps;
            try (NDManager sub = m.newSubManager()) {
                NDArray[] inputs = new NDArray[sites.size()];
                for (var site : sites) {
                    long[] shape = site.role().equals("conv") ? new long[] {samples, site.channels(), 28, 28} : new long[] {samples, site.channels()};
                    inputs[site.index()] = sub.randomNormal(new Shape(shape));
                }
                GeluTap noop = GeluTap.observing((site, data, rows) -> { });
                int iters = 200;
                double[] cost = new double[2];
                for (int round = 0; round < 2; round++) { // round 0 warms up
                    for (int mode = 0; mode < 2; mode++) {
                        long k0 = bean.getCurrentThreadCpuTime();
                        for (int it = 0; it < iters; it++) {
                            try (NDScope scope = new NDScope()) {
                                for (var site : sites) {
                                    site.apply(inputs[site.index()], mode == 0 ? null : noop);
                                }
                            }
                        }
                        cost[mode] = (bean.getCurrentThreadCpuTime() - k0) / 1e9 / iters;
                    }
                }
                double copyStep = cost[1] - cost[0];
                System.out.printf("tap copy-out per step (7 sites): %.2f ms vs %.2f ms per plain step (%.1f %%)%n",
                        copyStep * 1e3, plainStep * 1e3, 100 * copyStep / plainStep);
            }
            System.out.printf("ddpm-mnist %d samples x %d steps, %s, %d repeats:%n", samples, steps, analysis, repeats);
            String[] names = {"no tap", "observing tap (copy out only)", "profile (tap + analyzer)"};
            for (int mode = 0; mode < 3; mode++) {
                System.out.printf("  %-30s min wall %6.2f s (%+5.1f %%) cpu %6.2f s (%+5.1f %%) | median wall %6.2f s (%+5.1f %%) cpu %6.2f s (%+5.1f %%)%n",
                        names[mode], min(wall[mode]), 100 * (min(wall[mode]) / min(wall[0]) - 1), min(cpu[mode]),
                        100 * (min(cpu[mode]) / min(cpu[0]) - 1), median(wall[mode]), 100 * (median(wall[mode]) / median(wall[0]) - 1),
                        median(cpu[mode]), 100 * (median(cpu[mode]) / median(cpu[0]) - 1));
            }
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
