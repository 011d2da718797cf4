package org.colsparse.dram;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DramConfigInputTest {
    private static String error(Path dir, String yaml) throws Exception {
        Path f = Files.writeString(dir.resolve("d.yaml"), yaml);
        return assertThrows(InputException.class, () -> DramConfigLoader.load(f, DramConfig.ramulator2Gddr6())).getMessage()
                .substring(f.toString().length() + 2);
    }

    @Test
    void meaninglessValuesAreRejectedWithTheirKey(@TempDir Path dir) throws Exception {
        assertEquals("memory_system.controller.dram.timing.nREFI must be positive",
                error(dir, "memory_system: {controller: {dram: {timing: {nREFI: 0}}}}"));
        assertEquals("memory_system.channel_mapper.interleave_bits must be 0..32, got -1",
                error(dir, "memory_system: {channel_mapper: {interleave_bits: -1}}"));
        // used to print the half-built record (all zeros) instead of the values given
        assertEquals("DRAM organization sizes must be powers of two, got bankgroup 4, bank 4, row 3, column 2048, prefetch 16, channel_width 16",
                error(dir, "memory_system: {controller: {dram: {org: {row: 3}}}}"));
        assertEquals("is a directory, not a DRAM config",
                assertThrows(InputException.class, () -> DramConfigLoader.load(dir, DramConfig.ramulator2Gddr6())).getMessage()
                        .substring(dir.toString().length() + 2));
    }
}
