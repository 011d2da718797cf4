package org.colsparse.accel;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccelConfigTest {
    @Test
    void shippedConfigEqualsTheBuiltInDefault() {
        Path shipped = Path.of("..", "config", "accel.yaml");
        assertTrue(Files.isRegularFile(shipped), "config/accel.yaml is missing");
        assertEquals(AccelConfig.defaults(), AccelConfig.load(shipped));
    }

    @Test
    void keysOverrideAndTyposAreRejected(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, "array: 32x16\ndataflow: ws\nsram_kib: {ifmap: 64}\ndram: {model: fixed, bytes_per_cycle: 16}\n");
        AccelConfig c = AccelConfig.load(f);
        assertEquals("32x16", c.array().toString());
        assertEquals(64 << 10, c.ifmapSramBytes());
        assertEquals(2048 << 10, c.filterSramBytes());
        assertEquals("fixed", c.dramModel());
        assertEquals(16.0, c.fixedBytesPerCycle());
        Files.writeString(f, "arary: 32x32\n");
        InputException e = assertThrows(InputException.class, () -> AccelConfig.load(f));
        assertTrue(e.getMessage().contains("arary"), e.getMessage());
        Files.writeString(f, "sram_kib: {ifmap: -1}\n");
        assertThrows(InputException.class, () -> AccelConfig.load(f));
    }

    @Test
    void dramYamlResolvesNextToTheAccelFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("d.yaml"), "memory_system:\n  channels: 4\n");
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, "dram: {config: d.yaml, sample_repeats: 0}\n");
        AccelConfig c = AccelConfig.load(f);
        assertEquals(0, c.dramSampleRepeats());
        assertTrue(new AcceleratorSim(c).dramName().endsWith("4 channels"), new AcceleratorSim(c).dramName());
    }

    /** dram.model names a standard of the registry; the shipped HBM3 accelerator simulates HBM3. */
    @Test
    void memoryIsPickedByItsStandard(@TempDir Path dir) throws Exception {
        AcceleratorSim hbm3 = new AcceleratorSim(AccelConfig.load(Path.of("..", "config", "accel-hbm3.yaml")));
        assertEquals("HBM3", hbm3.memoryStandard());
        assertEquals(312.0, hbm3.newDram().clockPs());
        assertEquals("GDDR6", new AcceleratorSim(AccelConfig.defaults()).memoryStandard());
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, "dram: {model: fixed}\n");
        assertEquals("fixed", new AcceleratorSim(AccelConfig.load(f)).memoryStandard());
        Files.writeString(f, "dram: {model: hbm2}\n");  // the default preset is GDDR6's
        AccelConfig mismatch = AccelConfig.load(f);
        InputException e = assertThrows(InputException.class, () -> new AcceleratorSim(mismatch));
        assertTrue(e.getMessage().contains("dram.model is hbm2") && e.getMessage().contains("GDDR6"), e.getMessage());
    }
}
