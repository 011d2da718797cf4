package org.colsparse.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graphs exported from PyTorch (scripts/onnx/, see each fixture's README): the finder finds exactly the
 * sites the exporter's mapping lists, by name and tensor, and the taps give the per-site near-zero
 * counts PyTorch's hooks counted on the same inputs. Tolerance: counts are equal exactly (the fixtures
 * hold no element within 1e-4 relative of tau, their {@code near_tau} column); the denoiser output is
 * within 1e-4 absolute of PyTorch's (float32 kernels differ in summation order).
 */
class ExportedFixturesTest {
    static final Path ROOT = Path.of("src/test/resources/onnx");
    static final float TAU = 0.01f;

    @ParameterizedTest
    @CsvSource({"vit-mnist,vit-mnist.onnx,decomposed", "vit-mnist,vit-mnist-fused.onnx,fused", "dit-tiny,dit-tiny.onnx,decomposed",
            "dit-tiny,dit-tiny-fused.onnx,fused", "unet-tiny,unet-tiny.onnx,decomposed", "unet-tiny,unet-tiny-fused-gelu.onnx,fused/unet-tiny-fused-gelu.onnx",
            "unet-tiny,unet-tiny-fused.onnx,fused/unet-tiny-fused.onnx"})
    void findsTheExportersSitesAndReproducesItsNearZeroCounts(String fixture, String file, String mappingKey) throws Exception {
        Path dir = ROOT.resolve(fixture);
        // ONNX Runtime's fused GEGLU (BiasSplitGelu, in unet-tiny-fused.onnx) is written out first
        OnnxModel model = GraphRewrite.unfuseSplitGelu(OnnxModel.load(dir.resolve(file)));
        List<GraphSite> sites = GeluFinder.find(model, new GeluFinder.RoleHints("sample", "timestep"));
        JsonNode mapping = new ObjectMapper().readTree(dir.resolve("sites.json").toFile());
        for (String key : mappingKey.split("/")) {
            mapping = mapping.path(key);
        }
        List<String> wantNames = new ArrayList<>();
        List<String> wantOutputs = new ArrayList<>();
        mapping.forEach(m -> {
            wantNames.add(m.path("site").asText());
            wantOutputs.add(m.path("onnx_output").asText());
        });
        assertEquals(wantNames, sites.stream().map(GraphSite::name).toList());
        if (!file.equals("unet-tiny-fused.onnx")) {
            // BiasSplitGelu's gelu(gate) was no tensor: its tap is the unfused Gelu's, not the mapping's product
            assertEquals(wantOutputs, sites.stream().map(GraphSite::output).toList());
        }
        sites.forEach(s -> assertTrue(s.role().headline() && s.hasConsumer(), s.toString()));

        Path ref = dir.resolve("reference/fixed");
        Map<String, HostTensor> inputs = new HashMap<>();
        for (var in : model.graph().getInputList()) {
            inputs.put(in.getName(), npy(ref.resolve(in.getName() + ".npy")));
        }
        Map<String, HostTensor> out;
        try (OnnxRunner r = new OnnxRunner(GraphRewrite.tap(model, sites))) {
            out = r.run(inputs);
        }
        List<String> lines = Files.readAllLines(ref.resolve("sites.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        for (int i = 0; i < sites.size(); i++) {
            String[] row = lines.get(i + 1).split(",");
            GraphSite s = sites.get(i);
            assertEquals(row[header.indexOf("site")], s.name());
            assertEquals(0, Long.parseLong(row[header.indexOf("near_tau")]), "the fixture has elements at tau: counts may differ");
            HostTensor tap = out.get(s.output());
            long[] shape = tap.shape();
            assertEquals(Long.parseLong(row[header.indexOf("K")]), shape[shape.length - 1]);
            assertEquals(Long.parseLong(row[header.indexOf("elements")]), tap.floats().length);
            long nearZero = 0;
            for (float v : tap.floats()) {
                nearZero += Math.abs(v) <= TAU ? 1 : 0;
            }
            assertEquals(Long.parseLong(row[header.indexOf("near_zero")]), nearZero, s.name());
        }
        String outName = model.graph().getOutput(0).getName();
        float[] want = npy(ref.resolve("output.npy")).floats();
        float[] got = out.get(outName).floats();
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4, "output element " + i);
        }
        checkGemms(model, sites, inputs, ref.resolve("gemms.csv"));
    }

    /** The GEMMs PyTorch ran (M, K, N, batch) are the ones the probe measures, with the same consumers. */
    static void checkGemms(OnnxModel model, List<GraphSite> sites, Map<String, HostTensor> inputs, Path csv) throws Exception {
        GemmProbe probe = GemmProbe.of(model, sites);
        List<GemmRecorder.Op> ops = GraphSitesTest.gemms(probe, inputs);
        List<String> got = new ArrayList<>();
        for (GemmRecorder.Op op : ops) {
            var g = op.gemm();
            got.add(g.instances() + "," + g.m() + "," + g.k() + "," + g.n() + "," + g.consumesSite());
        }
        List<String> want = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] r = line.split(",", -1);
            want.add(r[1] + "," + r[2] + "," + r[3] + "," + r[4] + "," + r[6]);
        }
        assertEquals(want.stream().sorted().toList(), got.stream().sorted().toList());
    }

    static HostTensor npy(Path file) {
        try (TensorSource src = TensorSources.open(file)) {
            TensorInfo info = src.tensors().get(0);
            TensorData data = src.data(info.name());
            int n = (int) info.elementCount();
            if (info.dtype().name().startsWith("I")) {
                double[] d = new double[n];
                data.readDoubles(0, d, 0, n);
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = (long) d[i];
                }
                return HostTensor.ofLongs(info.shape(), l);
            }
            float[] f = new float[n];
            data.readFloats(0, f, 0, n);
            return HostTensor.ofFloats(info.shape(), f);
        }
    }
}
