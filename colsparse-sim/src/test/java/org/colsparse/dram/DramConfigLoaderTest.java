package org.colsparse.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DramConfigLoaderTest {
    private static final DramConfig BASE = DramConfig.ramulator2Gddr6();

    private static DramConfig load(Path dir, String yaml) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        return DramConfigLoader.load(f, BASE);
    }

    @Test
    void shippedPresetFileEqualsTheBuiltInPreset() {
        assertEquals(BASE, DramConfigLoader.load(Path.of("../config/dram/ramulator2-gddr6.yaml"), BASE));
    }

    @Test
    void keysOverrideTheBase(@TempDir Path dir) throws IOException {
        DramConfig c = load(dir, """
                memory_system:
                  channels: 4
                  controller:
                    write_buffer_size: 64
                    row_policy: {impl: ClosedCAP, cap: 8}
                    dram:
                      timing_preset: GDDR6_14000_1250mV_double
                      timing: {nCL: 20}
                      org: {row: 32768}
                """);
        assertEquals(4, c.channels());
        assertEquals(64, c.writeBufferSize());
        assertEquals("ClosedCAP", c.rowPolicy());
        assertEquals(8, c.rowPolicyCap());
        assertEquals(20, c.spec().timing().get("nCL"));
        assertEquals(30, c.spec().timing().get("nRCDRD"));
        assertEquals(32768, c.spec().org().rows());
        assertEquals(32, c.readBufferSize());
        assertEquals("c", c.name());   // named after the file
    }

    @Test
    void mistakesNameTheFileAndKey(@TempDir Path dir) {
        String f = dir.resolve("c.yaml").toString();
        assertEquals(f + ": unknown key 'memory_system.controller.schedular' (allowed: [addr_mapper, dram, impl, "
                        + "read_buffer_size, refresh_manager, row_policy, scheduler, wr_high_watermark, "
                        + "wr_low_watermark, write_buffer_size])",
                assertThrows(InputException.class, () -> load(dir, "memory_system:\n  controller:\n    schedular: x\n"))
                        .getMessage());
        assertEquals(f + ": unknown scheduler 'FCFS' (known: " + DramConfig.SCHEDULERS + ")",
                assertThrows(InputException.class,
                        () -> load(dir, "memory_system:\n  controller:\n    scheduler: {impl: FCFS}\n")).getMessage());
        assertEquals(f + ": memory_system.channels must be an integer in 1..64, got 'two'",
                assertThrows(InputException.class, () -> load(dir, "memory_system:\n  channels: two\n")).getMessage());
        assertEquals(f + ": memory_system.channels must be a power of two in 1..64, got 3",
                assertThrows(InputException.class, () -> load(dir, "memory_system:\n  channels: 3\n")).getMessage());
        assertEquals(f + ": unknown GDDR6 timing_preset 'GDDR6_16000' (known: " + DramConfig.ramulator2Gddr6().spec().standard().timingPresets().keySet() + ")",
                assertThrows(InputException.class, () -> load(dir,
                        "memory_system:\n  controller:\n    dram: {timing_preset: GDDR6_16000}\n")).getMessage());
    }
}
