package org.colsparse.accel;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.colsparse.dram.DramConfig;
import org.colsparse.systolic.ArrayShape;
import org.colsparse.systolic.Dataflow;
import org.colsparse.util.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * One accelerator: the array, its three SRAM buffers, the activation word size, the array clock and
 * the DRAM behind it. Read from YAML (config/accel.yaml documents every key):
 *
 * <pre>
 * array: 128x128
 * dataflow: os
 * word_bytes: 2
 * array_clock_mhz: 1000
 * sram_kib: {ifmap: 2048, filter: 2048, ofmap: 1024}
 * tiled_block_cols: 16
 * dram: {model: gddr6, preset: ramulator2-gddr6, config: null, sample_repeats: 4}
 * # dram: {model: fixed, clock_mhz: 1750, latency_cycles: 100, bytes_per_cycle: 64}
 * </pre>
 *
 * @param dramModel         {@code gddr6} (command-level model) or {@code fixed} (latency + bandwidth)
 * @param dramConfig        optional DRAM YAML overriding the preset (resolved against the accel file)
 * @param dramSampleRepeats how often each distinct transfer pattern is simulated request by request
 *                          before its repeats reuse the measured mean (0: every request); see {@link Gddr6Dram}
 * @param fixedClockMhz     clock of the fixed model
 */
public record AccelConfig(ArrayShape array, Dataflow dataflow, int wordBytes, double arrayClockMhz,
                          long ifmapSramBytes, long filterSramBytes, long ofmapSramBytes, int tiledBlockCols,
                          String dramModel, String dramPreset, Path dramConfig, int dramSampleRepeats,
                          double fixedClockMhz, long fixedLatencyCycles, double fixedBytesPerCycle) {

    private static final Set<String> TOP = Set.of("array", "dataflow", "word_bytes", "array_clock_mhz", "sram_kib", "tiled_block_cols", "dram");
    private static final Set<String> SRAM = Set.of("ifmap", "filter", "ofmap");
    private static final int MAX_BLOCK_COLS = 1 << 20;
    private static final Set<String> DRAM = Set.of("model", "preset", "config", "sample_repeats", "clock_mhz", "latency_cycles", "bytes_per_cycle");

    /** The shipped default (config/accel.yaml): a 128x128 2-byte array at 1 GHz in front of two GDDR6 channels. */
    public static AccelConfig defaults() {
        return new AccelConfig(new ArrayShape(128, 128), Dataflow.OS, 2, 1000, 2048L << 10, 2048L << 10, 1024L << 10, 16,
                "gddr6", "ramulator2-gddr6", null, 4, 1750, 100, 64);
    }

    public AccelConfig withArray(ArrayShape a) {
        return new AccelConfig(a, dataflow, wordBytes, arrayClockMhz, ifmapSramBytes, filterSramBytes, ofmapSramBytes, tiledBlockCols,
                dramModel, dramPreset, dramConfig, dramSampleRepeats, fixedClockMhz, fixedLatencyCycles, fixedBytesPerCycle);
    }

    public AccelConfig withDataflow(Dataflow d) {
        return new AccelConfig(array, d, wordBytes, arrayClockMhz, ifmapSramBytes, filterSramBytes, ofmapSramBytes, tiledBlockCols,
                dramModel, dramPreset, dramConfig, dramSampleRepeats, fixedClockMhz, fixedLatencyCycles, fixedBytesPerCycle);
    }

    /** Array clock period in picoseconds. */
    public double arrayClockPs() {
        return 1e6 / arrayClockMhz;
    }

    /** Reads a YAML file; every key is optional and defaults to {@link #defaults()}. */
    public static AccelConfig load(Path file) {
        JsonNode root;
        if (Files.isDirectory(file)) {
            throw new InputException(file + ": is a directory, not an accelerator config");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": accelerator config not found");
        }
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            // the parser's message spans several lines (a source excerpt); one line with the position is enough
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().strip().split("\\R", 2)[0];
            JsonLocation at = e.getLocation();
            throw new InputException(file + ": not valid YAML" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + msg);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read accelerator config: " + e.getMessage());
        }
        AccelConfig d = defaults();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return d;
        }
        String f = file.toString();
        if (!root.isObject()) {
            throw new InputException(f + ": accelerator config must be a YAML mapping");
        }
        checkKeys(root, TOP, f, "");
        ArrayShape array = root.has("array") ? ArrayShape.parse(root.get("array").asText(), f + ": array") : d.array();
        Dataflow df = root.has("dataflow") ? Dataflow.parse(root.get("dataflow").asText(), f + ": dataflow") : d.dataflow();
        int word = (int) posInt(root, "word_bytes", d.wordBytes(), f);
        if (word > 8) {
            throw new InputException(f + ": word_bytes must be 1..8, got " + word);
        }
        double clock = posDouble(root, "array_clock_mhz", d.arrayClockMhz(), f);
        long ifmap = d.ifmapSramBytes();
        long filter = d.filterSramBytes();
        long ofmap = d.ofmapSramBytes();
        if (root.has("sram_kib")) {
            JsonNode s = root.get("sram_kib");
            checkKeys(s, SRAM, f, "sram_kib.");
            ifmap = posInt(s, "ifmap", ifmap >> 10, f) << 10;
            filter = posInt(s, "filter", filter >> 10, f) << 10;
            ofmap = posInt(s, "ofmap", ofmap >> 10, f) << 10;
        }
        long blockColsGiven = posInt(root, "tiled_block_cols", d.tiledBlockCols(), f);
        if (blockColsGiven > MAX_BLOCK_COLS) {
            // an int cast used to wrap it into an unrelated DRAM-capacity error
            throw new InputException(f + ": tiled_block_cols must be 1.." + MAX_BLOCK_COLS + ", got " + blockColsGiven);
        }
        int blockCols = (int) blockColsGiven;
        String model = d.dramModel();
        String preset = d.dramPreset();
        Path dramCfg = null;
        int repeats = d.dramSampleRepeats();
        double fClock = d.fixedClockMhz();
        long fLat = d.fixedLatencyCycles();
        double fBpc = d.fixedBytesPerCycle();
        if (root.has("dram")) {
            JsonNode dn = root.get("dram");
            checkKeys(dn, DRAM, f, "dram.");
            if (dn.has("model")) {
                model = dn.get("model").asText();
                if (!model.equals("gddr6") && !model.equals("fixed")) {
                    throw new InputException(f + ": dram.model must be gddr6 or fixed, got '" + model + "'");
                }
            }
            if (dn.has("preset")) {
                preset = dn.get("preset").asText();
                try {
                    DramConfig.preset(preset);
                } catch (IllegalArgumentException e) {
                    throw new InputException(f + ": dram.preset: " + e.getMessage());
                }
            }
            if (dn.hasNonNull("config")) {
                Path p = Path.of(dn.get("config").asText());
                dramCfg = p.isAbsolute() || file.getParent() == null ? p : file.getParent().resolve(p);
            }
            if (dn.has("sample_repeats")) {
                JsonNode v = dn.get("sample_repeats");
                if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 1_000_000) {
                    throw new InputException(f + ": dram.sample_repeats must be an integer >= 0 (0 = simulate every request)");
                }
                repeats = v.asInt();
            }
            fClock = posDouble(dn, "clock_mhz", fClock, f);
            if (dn.has("latency_cycles")) {
                JsonNode lat = dn.get("latency_cycles");
                fLat = lat.asLong(-1);
                if (fLat < 0 || !lat.isIntegralNumber() || !lat.canConvertToLong()) {
                    throw new InputException(f + ": dram.latency_cycles must be an integer >= 0");
                }
            }
            fBpc = posDouble(dn, "bytes_per_cycle", fBpc, f);
        }
        return new AccelConfig(array, df, word, clock, ifmap, filter, ofmap, blockCols, model, preset, dramCfg, repeats, fClock, fLat, fBpc);
    }

    private static void checkKeys(JsonNode node, Set<String> known, String file, String prefix) {
        if (!node.isObject()) {
            throw new InputException(file + ": " + (prefix.isEmpty() ? "config" : prefix.substring(0, prefix.length() - 1)) + " must be a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new InputException(file + ": unknown key '" + prefix + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static long posInt(JsonNode n, String key, long dflt, String file) {
        if (!n.has(key)) {
            return dflt;
        }
        JsonNode v = n.get(key);
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() <= 0) {
            throw new InputException(file + ": " + key + " must be a positive integer, got '" + v.asText() + "'");
        }
        return v.asLong();
    }

    private static double posDouble(JsonNode n, String key, double dflt, String file) {
        if (!n.has(key)) {
            return dflt;
        }
        JsonNode v = n.get(key);
        if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
            throw new InputException(file + ": " + key + " must be a positive number, got '" + v.asText() + "'");
        }
        return v.asDouble();
    }
}
