import ai.djl.ndarray.NDManager;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Profiler;
import org.colsparse.denoiser.Workloads;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.StepListener;
import org.colsparse.sparsity.AnalysisConfig;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Cost of the GELU tap on a full profile run: the same sampling loop (same seed) without a tap,
 * with an observing tap that only copies each site's output out of PyTorch (channel-last), and
 * with the real profile (tap + analyzer at the given thresholds/tile heights). Runs alternate so
 * background load hits all three alike; the median of each is reported, as wall time and as
 * process CPU time (PyTorch runs single-threaded on the calling thread, so CPU time is the
 * work done and stays meaningful when other jobs share the machine).
 *
 * Usage (from the repository root, after a build): bench/runtime/tap-overhead.sh [samples steps repeats]
 */
public final class TapOverhead {
    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        AnalysisConfig analysis = new AnalysisConfig(AnalysisConfig.DEFAULT_SWEEP, new int[] {8, 16, 32, 64, 128});
        try (NDManager m = Torch.manager(); LoadedWorkload w = Workloads.get("ddpm-mnist").load(m, null)) {
            w.sample(1, 20, 0, null, StepListener.NONE); // warm-up: JIT, oneDNN kernels
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
                System.out.printf("repeat %d wall/cpu s: no tap %.2f/%.2f, observing tap %.2f/%.2f, profile %.2f/%.2f%n", r,
                        wall[0][r], cpu[0][r], wall[1][r], cpu[1][r], wall[2][r], cpu[2][r]);
            }
            System.out.printf("ddpm-mnist %d samples x %d steps, %s, medians of %d:%n", samples, steps, analysis, repeats);
            String[] names = {"no tap", "observing tap (copy out only)", "profile (tap + analyzer)"};
            for (int mode = 0; mode < 3; mode++) {
                System.out.printf("  %-30s wall %7.2f s (%+6.1f %%)   cpu %7.2f s (%+6.1f %%)%n", names[mode], median(wall[mode]),
                        100 * (median(wall[mode]) / median(wall[0]) - 1), median(cpu[mode]), 100 * (median(cpu[mode]) / median(cpu[0]) - 1));
            }
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
