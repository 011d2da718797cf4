package org.colsparse.pipeline;

import org.colsparse.results.Json;
import org.colsparse.denoiser.Profiler;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.sparsity.NearZeroMask;
import org.colsparse.systolic.ActivationMask;
import org.colsparse.tensor.NpzWriter;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;
import org.colsparse.workload.SiteRole;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real masks of a profiled run and the GEMMs of one of its denoiser calls, as one {@code .npz}
 * (format {@code colsparse-masks/1}, docs/masks.md):
 * <ul>
 * <li>{@code index}: uint8, UTF-8 JSON: workload, threshold, the recorded calls (name, step,
 *     timestep), the sites (name, role, rows per call, channels) and the call's GEMMs (name, m, n, k,
 *     instances, the site each consumes, convolution geometry);</li>
 * <li>{@code <call>/<site>}: uint8 {@code [rows, ceil(channels / 8)]}, the site's near-zero bits in
 *     that call, packed along channels as {@code numpy.packbits(near_zero, axis=-1)} (1 = {@code |a| <= threshold}).</li>
 * </ul>
 * Everything downstream (cycle estimates, simulations, {@code gemm}/{@code simulate --masks}) reads
 * this file, so what was measured is what is replayed.
 */
public record RecordedMasks(String workload, double threshold, List<Call> calls, List<Site> sites, List<GemmRecorder.Op> gemms) {
    public static final String FORMAT = "colsparse-masks/1";

    public record Call(String name, int step, int timestep, Map<String, NearZeroMask> masks) {
    }

    public record Site(String name, SiteRole role, int rows, int channels) {
    }

    /** The masks and GEMMs a profiling run recorded. */
    public static RecordedMasks of(Profiler.Result r, List<GeluSite> modelSites) {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < r.calls().size(); i++) {
            Profiler.RecordedCall c = r.calls().get(i);
            calls.add(new Call("c" + i, c.step(), c.timestep(), c.masks()));
        }
        List<Site> sites = new ArrayList<>();
        for (GeluSite s : modelSites) {
            NearZeroMask m = calls.isEmpty() ? null : calls.get(0).masks().get(s.name());
            sites.add(new Site(s.name(), s.role(), m == null ? 0 : m.rows(), s.channels()));
        }
        return new RecordedMasks(r.workload(), r.maskThreshold(), calls, sites, r.gemms());
    }

    public void write(Path file) {
        StateIndex.MasksIndex index = new StateIndex.MasksIndex(FORMAT, workload, threshold,
                "1 = near zero (|a| <= threshold); rows packed along channels, first channel in the high bit",
                calls.stream().map(c -> new StateIndex.CallEntry(c.name(), c.step(), c.timestep())).toList(),
                sites.stream().map(s -> new StateIndex.SiteEntry(s.name(), s.role().cliName(), s.rows(), s.channels())).toList(),
                gemms.stream().map(StateIndex.GemmEntry::of).toList());
        NpzWriter w = new NpzWriter();
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        w.addU8("index", new long[] {json.length}, json);
        for (Call call : calls) {
            for (Map.Entry<String, NearZeroMask> e : call.masks().entrySet()) {
                NearZeroMask m = e.getValue();
                w.addU8(call.name() + "/" + e.getKey(), new long[] {m.rows(), NearZeroMask.rowBytes(m.channels())}, m.packed());
            }
        }
        w.write(file);
    }

    public static RecordedMasks read(Path file) {
        try (TensorSource src = TensorSources.open(file)) {
            byte[] json;
            StateIndex.Format format;
            try {
                json = bytes(src.data("index"));
                format = Json.MAPPER.readValue(json, StateIndex.Format.class);
            } catch (IOException | RuntimeException e) {
                throw new InputException(file + ": not a colsparse masks file (no readable 'index' array)");
            }
            if (!FORMAT.equals(format.format())) {
                throw new InputException(file + ": format '" + format.format() + "', expected " + FORMAT);
            }
            StateIndex.MasksIndex index;
            try {
                index = Json.MAPPER.readValue(json, StateIndex.MasksIndex.class);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new InputException(file + ": damaged masks index (" + e.getOriginalMessage() + ")");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Site> sites = new ArrayList<>();
            for (StateIndex.SiteEntry s : list(index.sites())) {
                SiteRole role = SiteRole.parse(s.role(), file + ": index site " + s.name() + ", role");
                sites.add(new Site(s.name(), role, s.rows(), s.channels()));
            }
            List<Call> calls = new ArrayList<>();
            for (StateIndex.CallEntry c : list(index.calls())) {
                Map<String, NearZeroMask> masks = new LinkedHashMap<>();
                for (Site s : sites) {
                    String name = c.name() + "/" + s.name();
                    byte[] packed = bytes(src.data(name));
                    if ((long) s.rows() * NearZeroMask.rowBytes(s.channels()) != packed.length) {
                        throw new InputException(file + ": array '" + name + "' has " + packed.length + " bytes, index says "
                                + s.rows() + " rows x " + s.channels() + " channels");
                    }
                    masks.put(s.name(), new NearZeroMask(s.rows(), s.channels(), packed));
                }
                calls.add(new Call(c.name(), c.step(), c.timestep(), masks));
            }
            List<GemmRecorder.Op> gemms = list(index.gemms()).stream().map(StateIndex.GemmEntry::op).toList();
            return new RecordedMasks(index.workload(), index.threshold(), calls, sites, gemms);
        }
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    static byte[] bytes(TensorData d) {
        long n = d.info().elementCount();
        if (n > Integer.MAX_VALUE) {
            throw new InputException("array '" + d.info().name() + "' too large");
        }
        double[] v = new double[(int) n];
        d.readDoubles(0, v, 0, v.length);
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) (int) v[i];
        }
        return b;
    }

    /**
     * The activation operands of {@code call}'s headline consumers, by GEMM name ({@link #operand}):
     * the GEMMs reading a site whose role is in the headline ({@link SiteRole#headline()}).
     * These are the only GEMMs that skip in the headline cycle numbers (docs/definitions.md).
     */
    public Map<String, ActivationMask> operands(Call call) {
        return operands(call, true);
    }

    /**
     * The operands of the consumers of sites outside the headline (time-embedding MLPs): one row per
     * sample, so their "columns" are single elements. Reported beside the headline, never in it.
     */
    public Map<String, ActivationMask> otherOperands(Call call) {
        return operands(call, false);
    }

    /** The role of the site {@code g} reads, or null when it reads none. */
    public SiteRole consumedRole(Gemm g) {
        if (!g.consumesGelu()) {
            return null;
        }
        for (Site s : sites) {
            if (s.name().equals(g.consumesSite())) {
                return s.role();
            }
        }
        throw new InputException("masks of " + workload + " lack site " + g.consumesSite() + " consumed by " + g.name());
    }

    private Map<String, ActivationMask> operands(Call call, boolean headline) {
        Map<String, ActivationMask> out = new LinkedHashMap<>();
        for (GemmRecorder.Op op : gemms) {
            if (op.gemm().consumesGelu() && consumedRole(op.gemm()).headline() == headline) {
                out.put(op.gemm().name(), operand(op, call));
            }
        }
        return out;
    }

    /**
     * The activation operand of {@code op} in call {@code call} as the array sees it, or null when the
     * GEMM consumes no site: the site's own mask for a linear layer, its im2col view for a
     * convolution (column (channel, ky, kx) of output pixel (b, y, x) reads input pixel
     * (b, y·stride − pad + ky, x·stride − pad + kx)). Padding counts as non-zero: a column that is
     * zero only because it lies in the padding would be skipped by any array, GELU or not, so it is
     * not credited to GELU sparsity.
     */
    private ActivationMask operand(GemmRecorder.Op op, Call call) {
        Gemm g = op.gemm();
        if (!g.consumesGelu()) {
            return null;
        }
        NearZeroMask site = call.masks().get(g.consumesSite());
        if (site == null) {
            throw new InputException("masks of " + call.name() + " lack site " + g.consumesSite() + " consumed by " + g.name());
        }
        GemmRecorder.ConvGeometry cv = op.conv();
        if (cv == null) {
            if (site.rows() != g.m() || site.channels() != g.k()) {
                throw new IllegalStateException(g.name() + " reads " + g.m() + "x" + g.k() + ", site mask is " + site.rows() + "x" + site.channels());
            }
            return ActivationMask.of(site.rows(), site.channels(), (r, c) -> !site.nearZero(r, c));
        }
        int oh = cv.outHeight();
        int ow = cv.outWidth();
        int kk = cv.kernel() * cv.kernel();
        return ActivationMask.of((int) g.m(), (int) g.k(), (r, c) -> {
            int b = r / (oh * ow);
            int y = r / ow % oh;
            int x = r % ow;
            int ch = c / kk;
            int iy = y * cv.stride() - cv.padding() + c % kk / cv.kernel();
            int ix = x * cv.stride() - cv.padding() + c % cv.kernel();
            if (iy < 0 || ix < 0 || iy >= cv.height() || ix >= cv.width()) {
                return true;
            }
            return !site.nearZero((b * cv.height() + iy) * cv.width() + ix, ch);
        });
    }
}
