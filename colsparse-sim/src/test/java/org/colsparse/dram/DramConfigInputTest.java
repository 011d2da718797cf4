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
        assertEquals("memory_system.controller.dram.timing.nREFI must be an integer in 1..1000000, got '0'",
                error(dir, "memory_system: {controller: {dram: {timing: {nREFI: 0}}}}"));
        assertEquals("memory_system.channel_mapper.interleave_bits must be an integer in 0..32, got '-1'",
                error(dir, "memory_system: {channel_mapper: {interleave_bits: -1}}"));
        // used to print the half-built record (all zeros) instead of the values given
        assertEquals("memory_system.controller.dram.org.row must be a power of two in 1..16777216, got 3",
                error(dir, "memory_system: {controller: {dram: {org: {row: 3}}}}"));
        assertEquals("is a directory, not a DRAM config",
                assertThrows(InputException.class, () -> DramConfigLoader.load(dir, DramConfig.ramulator2Gddr6())).getMessage()
                        .substring(dir.toString().length() + 2));
    }
}
