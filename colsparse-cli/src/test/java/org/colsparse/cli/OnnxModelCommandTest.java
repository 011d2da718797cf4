package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.colsparse.cli.CliRun.expect;
import static org.colsparse.cli.CliRun.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --model FILE.onnx --model-card CARD.yaml}: an exported graph as the workload of profile, shapes, accuracy and run. */
class OnnxModelCommandTest {
    private static final Path VIT = Path.of("../colsparse-models/src/test/resources/onnx/vit-mnist");
    private static final String MODEL = VIT.resolve("vit-mnist.onnx").toString();
    private static final String CARD = VIT.resolve("card.yaml").toString();

    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", "..");
    }

    @Test
    void aWorkloadIsNamedOneWay() {
        String both = "--model/--workload: name the workload one way, --workload ID or --model FILE.onnx --model-card CARD.yaml, not both";
        refused(both, "profile", "--workload", "vit-mnist", "--model", MODEL, "--model-card", CARD);
        refused(both, "run", "--workload", "vit-mnist", "--model", MODEL, "--model-card", CARD);
        refused(both, "shapes", "--workload", "dit", "--model", MODEL, "--model-card", CARD);
        refused("--model: needs --model-card CARD.yaml, which says how to call the graph (docs/model-card.md)", "profile", "--model", MODEL);
        refused("--model-card: needs --model FILE.onnx, the graph the card describes", "accuracy", "--model-card", CARD);
        refused("--init-noise: only with --model FILE.onnx --model-card CARD.yaml", "profile", "--init-noise", "x.npy");
        refused("--checkpoint: not for an ONNX workload (--model): its graph holds the weights and its card the conditioning",
                "profile", "--model", MODEL, "--model-card", CARD, "--checkpoint", MODEL);
        refused("--model " + VIT.resolve("nothing.onnx") + ": no such file", "profile", "--model", VIT.resolve("nothing.onnx").toString(), "--model-card", CARD);
    }

    @Test
    void aFileThatIsNotAGraphIsRefusedNamingIt() {
        CliRun r = CliRun.run("profile", "--model", CARD, "--model-card", CARD);
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("colsparse: error: " + CARD + ": "), r.err());
    }

    /** One call of vit-mnist: 16 patches + 2 time + 2 class tokens, width 64, FFN 256, 4 heads of 16, 4 layers. */
    @Test
    void shapesListsTheMeasuredGemmsOfOneCall() throws Exception {
        JsonNode root = Json.MAPPER.readTree(expect(0, "shapes", "--model", MODEL, "--model-card", CARD, "--format", "json"));
        assertEquals("vit-mnist-onnx", root.get("workload").asText());
        assertEquals(1, root.get("batch").asInt());
        int consumers = 0;
        for (JsonNode g : root.get("gemms")) {
            if (!g.get("consumes_site").asText().isEmpty()) {
                assertEquals(List.of(20L, 256L, 64L, 1L), List.of(g.get("m").asLong(), g.get("k").asLong(), g.get("n").asLong(), g.get("instances").asLong()));
                assertEquals("transformer." + consumers + ".gelu", g.get("consumes_site").asText());
                consumers++;
            }
            if (g.get("name").asText().endsWith("self_attn.MatMul_1")) {
                // Q K^T per head: 20 x 16 times 16 x 20, 4 heads
                assertEquals(List.of(20L, 16L, 20L, 4L), List.of(g.get("m").asLong(), g.get("k").asLong(), g.get("n").asLong(), g.get("instances").asLong()));
            }
        }
        assertEquals(4, consumers);
        assertEquals(4, root.get("totals").get("gelu_sites").asInt());
        String csv = expect(0, "shapes", "--model", MODEL, "--model-card", CARD, "--format", "csv");
        assertEquals("name,m,k,n,instances,consumes_site,macs", csv.lines().findFirst().orElseThrow());
        // usable as a gemm topology
        Path topology = Files.writeString(Files.createTempFile("vit-shapes", ".csv"), csv);
        String cycles = expect(0, "gemm", "--topology", topology.toString(), "--format", "csv");
        assertTrue(cycles.contains("transformer.transformer.3.linear2.MatMul"), cycles);
        Files.delete(topology);
    }

    /** profile --model writes what profile --workload writes, under the card's workload id. */
    @Test
    void profileWritesResultsAndMasks(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("p");
        JsonNode r = Json.MAPPER.readTree(expect(0, "profile", "--model", MODEL, "--model-card", CARD, "--samples", "1", "--steps", "2",
                "--out", out.toString(), "--format", "json"));
        assertEquals("vit-mnist-onnx", r.get("workload").asText());
        assertEquals(4, r.get("sites").size());
        // 1 sample x 2 steps x (cond + uncond) calls x 20 rows x 256 channels
        assertEquals(4 * 20 * 256, r.get("sites").get(0).get("elements").asLong());
        assertTrue(Files.isRegularFile(out.resolve("masks.npz")));
        assertTrue(Files.isRegularFile(out.resolve("samples.png")));
        assertTrue(Files.isRegularFile(out.resolve("results.json")));
    }
}
