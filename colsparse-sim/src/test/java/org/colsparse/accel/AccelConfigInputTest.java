package org.colsparse.accel;

import org.colsparse.systolic.ArrayShape;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AccelConfigInputTest {
    private static String error(Path dir, String yaml) throws Exception {
        Path f = Files.writeString(dir.resolve("a.yaml"), yaml);
        String msg = assertThrows(InputException.class, () -> AccelConfig.load(f)).getMessage();
        assertFalse(msg.contains("\n"), msg);
        return msg.substring(f.toString().length() + 2);
    }

    @Test
    void malformedValuesNameTheKey(@TempDir Path dir) throws Exception {
        assertEquals("not valid YAML at line 1, column 12: while parsing a flow sequence", error(dir, "array: [1,2\n"));
        assertEquals("array: array must be ROWSxCOLS with positive integers, got '16x16x'", error(dir, "array: 16x16x\n"));
        assertEquals("dram.latency_cycles must be an integer in 0..1000000, got '1.5'",
                error(dir, "dram: {model: fixed, latency_cycles: 1.5}\n"));
        assertEquals("tiled_block_cols must be an integer in 1..1048576, got '100000000000'",
                error(dir, "tiled_block_cols: 100000000000\n"));
        assertEquals("dram.preset: unknown DRAM preset 'nope' (known: ramulator2-gddr6, ramulator2-hbm2, ramulator2-hbm3, ramulator2-ddr5)", error(dir, "dram: {preset: nope}\n"));
        assertEquals("is a directory, not an accelerator config",
                assertThrows(InputException.class, () -> AccelConfig.load(dir)).getMessage().substring(dir.toString().length() + 2));
        assertThrows(InputException.class, () -> ArrayShape.parse("4x4x", "--array"));
    }

    @Test
    void dramFileIsNamedOnce(@TempDir Path dir) throws Exception {
        Path shipped = Path.of("..", "config", "dram", "gddr6-4ch.yaml").toAbsolutePath();
        Path f = Files.writeString(dir.resolve("a.yaml"), "dram: {config: '" + shipped + "'}\n");
        // was "gddr6-4ch + gddr6-4ch.yaml, 4 channels"
        assertEquals("gddr6-4ch (gddr6-4ch.yaml), 4 channels", new AcceleratorSim(AccelConfig.load(f)).dramName());
    }
}
