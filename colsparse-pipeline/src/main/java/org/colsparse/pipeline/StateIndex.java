package org.colsparse.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.workload.Gemm;
import org.colsparse.workload.SiteRole;

import java.util.List;

/**
 * The JSON indexes inside colsparse's own .npz files, as records: the {@code header} of a shard
 * state file ({@link ShardState}, docs/sharding.md) and the {@code index} of a masks file
 * ({@link RecordedMasks}, docs/masks.md). Written from these records and read back into them, so
 * a field is named once.
 */
final class StateIndex {
    private StateIndex() {
    }

    /** Only the format line, read first: a file of another format is refused by name before its fields are read. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Format(String format) {
    }

    /** A shard state file's header. {@code samples} says in words which samples the shard holds. */
    record ShardHeader(String format, String colsparse, String command, int shard, int shards, String samples, String fingerprint,
                       List<String> args, List<WorkloadParts> workloads) {
    }

    /** One workload's parts in a shard: its profile, its accuracy sweep, or both. */
    record WorkloadParts(String id, @JsonInclude(JsonInclude.Include.NON_NULL) ProfilePart profile,
                         @JsonInclude(JsonInclude.Include.NON_NULL) AccuracyPart accuracy) {
    }

    /**
     * @param ranges per timestep bucket its first and last step, or null
     * @param calls  the recorded calls and the shape of each site's mask in them
     */
    record ProfilePart(List<Integer> samples, double seconds, double[] thresholds, int[] tileRows, int buckets, List<SiteChannels> sites,
                       int[][] ranges, List<long[]> outputShapes, List<CallMasks> calls, List<GemmEntry> gemms) {
    }

    record AccuracyPart(List<Integer> samples, double denseSeconds, double seconds, double[] thresholds, int tileRows,
                        List<SiteChannels> sites, List<long[]> outputShapes) {
    }

    record SiteChannels(String name, int channels) {
    }

    record CallMasks(int step, int timestep, List<MaskShape> masks) {
    }

    record MaskShape(String site, int rows, int channels) {
    }

    /** A masks file's index. */
    record MasksIndex(String format, String workload, double threshold, String bits, List<CallEntry> calls, List<SiteEntry> sites,
                      List<GemmEntry> gemms) {
    }

    record CallEntry(String name, int step, int timestep) {
    }

    /** @param role as the command line names it; read back through {@link SiteRole#parse(String, String)} for its error line */
    record SiteEntry(String name, String role, int rows, int channels) {
    }

    /** One GEMM of a recorded call, with the convolution it is the im2col of (null for a linear layer). */
    record GemmEntry(String name, long m, long n, long k, long instances, String consumesSite,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Conv conv) {
        static GemmEntry of(GemmRecorder.Op op) {
            Gemm g = op.gemm();
            GemmRecorder.ConvGeometry c = op.conv();
            return new GemmEntry(g.name(), g.m(), g.n(), g.k(), g.instances(), g.consumesSite(), c == null ? null
                    : new Conv(c.batch(), c.channels(), c.height(), c.width(), c.kernel(), c.stride(), c.padding()));
        }

        GemmRecorder.Op op() {
            return new GemmRecorder.Op(new Gemm(name, m, n, k, instances, consumesSite), conv == null ? null
                    : new GemmRecorder.ConvGeometry(conv.batch(), conv.channels(), conv.height(), conv.width(), conv.kernel(),
                    conv.stride(), conv.padding()));
        }
    }

    record Conv(int batch, int channels, int height, int width, int kernel, int stride, int padding) {
    }
}
