package org.colsparse.systolic;

import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopologyInputTest {
    private static final String CONV = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides\n";

    private static String error(List<String> lines) {
        return assertThrows(InputException.class, () -> Topology.parse(lines, "t.csv")).getMessage();
    }

    @Test
    void duplicateAndEmptyLayerNamesAreRejected() {
        // simulate's totals and --mask-dir are keyed by name: a repeated name silently dropped a layer from TOTAL
        assertEquals("t.csv line 3: layer name 'l1' already used on line 2; layer names must be unique",
                error(List.of("Layer, M, N, K", "l1, 4, 4, 4", "l1, 8, 8, 8")));
        assertEquals("t.csv line 2: empty layer name", error(List.of("Layer, M, N, K", ", 4, 4, 4")));
    }

    @Test
    void hugeConvLayersAreBadInputAndNormalOnesUnchanged() {
        assertTrue(error(List.of(CONV.strip(), "c, 9000000000000000000, 9000000000000000000, 3, 3, 3, 4, 1")).contains("too large"));
        // 8x8 input, 3x3 filter, stride 2: ceil((8 - 3 + 2) / 2) = 4 outputs per axis
        List<Gemm> g = Topology.parse(List.of(CONV.strip(), "c, 8, 8, 3, 3, 3, 4, 2", "c2, 7, 7, 7, 7, 3, 4, 1"), "t.csv");
        assertEquals(new Gemm("c", 16, 4, 27), g.get(0));
        assertEquals(new Gemm("c2", 1, 4, 147), g.get(1));
    }

    @Test
    void shapesCsvIsATopology() {
        // the header and a row as `colsparse shapes --format csv` prints them (m, k, n order; macs ignored)
        List<Gemm> g = Topology.parse(List.of("name,m,k,n,instances,consumes_site,macs",
                "down.0.attn.0.attn1.qk,4096,40,4096,16,,10737418240",
                "down.0.attn.0.ff.down,8192,1280,320,1,down.0.attn.0.ff,3355443200"), "s.csv");
        assertEquals(new Gemm("down.0.attn.0.attn1.qk", 4096, 4096, 40, 16, ""), g.get(0));
        assertEquals(new Gemm("down.0.attn.0.ff.down", 8192, 320, 1280, 1, "down.0.attn.0.ff"), g.get(1));
        assertEquals(new Gemm("a", 3, 5, 4), Topology.parse(List.of("name,m,k,n", "a,3,4,5"), "s.csv").get(0));
        assertTrue(error(List.of("name,m,k,n,instances", "a,3,4,5,0")).endsWith("instances must be a positive integer, got '0'"));
    }

    @Test
    void binaryAndMissingFilesAreNamed(@TempDir Path dir) throws Exception {
        Path bin = Files.write(dir.resolve("t.csv"), new byte[] {(byte) 0x93, 'N', 'U', 'M', (byte) 0xff});
        assertTrue(assertThrows(InputException.class, () -> Topology.read(bin)).getMessage().endsWith("not a topology CSV (not UTF-8 text)"));
        assertTrue(assertThrows(InputException.class, () -> Topology.read(dir.resolve("none.csv"))).getMessage().endsWith("topology file not found"));
    }

    /** A bad --array or --dataflow is echoed cut and escaped, like file contents (issue 22, item 5b). */
    @Test
    void badArrayAndDataflowTextIsEchoedCutAndEscaped() {
        String hostile = "\u001b[31m" + "9".repeat(100_000);
        for (String m : List.of(assertThrows(InputException.class, () -> ArrayShape.parse(hostile, "--array")).getMessage(),
                assertThrows(InputException.class, () -> Dataflow.parse(hostile, "--dataflow")).getMessage())) {
            assertTrue(m.length() < 400, m.length() + " characters");
            assertTrue(m.indexOf('\u001b') < 0, m);
            assertTrue(m.contains("\\x1b[31m"), m);
        }
    }
}
