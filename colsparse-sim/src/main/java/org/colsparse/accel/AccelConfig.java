package org.colsparse.accel;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.colsparse.dram.DramConfig;
import org.colsparse.dram.Standards;
import org.colsparse.systolic.ArrayShape;
import org.colsparse.systolic.Dataflow;
import org.colsparse.util.InputException;
import org.colsparse.util.Printable;

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
 * @param dramModel         a memory standard in lower case ({@code gddr6}: command-level model of that standard)
 *                          or {@code fixed} (latency + bandwidth)
 * @param dramConfig        optional DRAM YAML overriding the preset (resolved against the accel file)
 * @param dramSampleRepeats how often each distinct transfer pattern is simulated request by request
 *                          before its repeats reuse the measured mean (0: every request); see {@link SampledDram}
 * @param fixedClockMhz     clock of the fixed model
 *
 * <p>Every value has a valid range, listed in docs/simulator.md §6 and refused outside it with
 * one line naming the file and key: wide enough for any real accelerator, narrow enough that no
 * value wraps a size (sram_kib 2^53 did in {@code << 10}), overflows a cycle count (a fixed DRAM
 * of 1e-300 bytes per cycle or 2^63-1 cycles of latency gave 0 stall cycles) or makes the
 * simulation step through an unbounded number of DRAM cycles per array cycle (a clock of 1e-300
 * MHz ran for minutes).
 */
public record AccelConfig(ArrayShape array, Dataflow dataflow, int wordBytes, double arrayClockMhz,
                          long ifmapSramBytes, long filterSramBytes, long ofmapSramBytes, int tiledBlockCols,
                          String dramModel, String dramPreset, Path dramConfig, int dramSampleRepeats,
                          double fixedClockMhz, long fixedLatencyCycles, double fixedBytesPerCycle) {

    private static final Set<String> TOP = Set.of("array", "dataflow", "word_bytes", "array_clock_mhz", "sram_kib", "tiled_block_cols", "dram");
    private static final Set<String> SRAM = Set.of("ifmap", "filter", "ofmap");
    private static final int MAX_BLOCK_COLS = 1 << 20;
    /** PEs per array side: the largest built arrays are 256 wide; 2^16 keeps rows x word bytes in an int. */
    static final int MAX_ARRAY_SIDE = 1 << 16;
    /** Clocks in MHz (array and fixed DRAM): 1 MHz to 100 GHz. */
    static final double MIN_CLOCK_MHZ = 1;
    static final double MAX_CLOCK_MHZ = 100_000;
    /** Per buffer, KiB: up to 16 GiB (wafer-scale chips have 40 GB of SRAM in all). */
    static final long MAX_SRAM_KIB = 1L << 24;
    static final long MAX_LATENCY_CYCLES = 1_000_000;
    static final double MIN_BYTES_PER_CYCLE = 1e-3;
    static final double MAX_BYTES_PER_CYCLE = 1e6;
    static final int MAX_SAMPLE_REPEATS = 1_000_000;
    /** The analytic memory model's name; every other dram.model names a standard of {@link Standards}. */
    public static final String FIXED = "fixed";
    private static final Set<String> DRAM = Set.of("model", "preset", "config", "sample_repeats", "clock_mhz", "latency_cycles", "bytes_per_cycle");

    /** The values dram.model takes: each standard's name in lower case, then {@link #FIXED}. */
    static java.util.List<String> models() {
        java.util.List<String> m = new java.util.ArrayList<>();
        Standards.names().forEach(n -> m.add(n.toLowerCase(java.util.Locale.ROOT)));
        m.add(FIXED);
        return m;
    }

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
        ArrayShape array = d.array();
        if (root.has("array")) {
            String text = root.get("array").asText();
            try {
                array = ArrayShape.parse(text, f + ": array");
            } catch (InputException e) {
                throw new InputException(f + ": array: array must be ROWSxCOLS with positive integers, got '"
                        + Printable.excerpt(text) + "'");
            }
            if (array.rows() > MAX_ARRAY_SIDE || array.cols() > MAX_ARRAY_SIDE) {
                throw new InputException(f + ": array must be at most " + MAX_ARRAY_SIDE + "x" + MAX_ARRAY_SIDE + ", got " + array);
            }
        }
        Dataflow df = d.dataflow();
        if (root.has("dataflow")) {
            String text = root.get("dataflow").asText();
            try {
                df = Dataflow.parse(text, f + ": dataflow");
            } catch (InputException e) {
                throw new InputException(f + ": dataflow must be os, ws or is, got '" + Printable.excerpt(text) + "'");
            }
        }
        int word = (int) rangeInt(root, "word_bytes", d.wordBytes(), f, "", 1, 8);
        double clock = rangeDouble(root, "array_clock_mhz", d.arrayClockMhz(), f, "", MIN_CLOCK_MHZ, MAX_CLOCK_MHZ);
        long ifmap = d.ifmapSramBytes();
        long filter = d.filterSramBytes();
        long ofmap = d.ofmapSramBytes();
        if (root.has("sram_kib")) {
            JsonNode s = root.get("sram_kib");
            checkKeys(s, SRAM, f, "sram_kib.");
            // in range, so the KiB-to-bytes shift cannot wrap
            ifmap = rangeInt(s, "ifmap", ifmap >> 10, f, "sram_kib.", 1, MAX_SRAM_KIB) << 10;
            filter = rangeInt(s, "filter", filter >> 10, f, "sram_kib.", 1, MAX_SRAM_KIB) << 10;
            ofmap = rangeInt(s, "ofmap", ofmap >> 10, f, "sram_kib.", 1, MAX_SRAM_KIB) << 10;
        }
        // an int cast used to wrap a larger value into an unrelated DRAM-capacity error
        int blockCols = (int) rangeInt(root, "tiled_block_cols", d.tiledBlockCols(), f, "", 1, MAX_BLOCK_COLS);
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
                if (!model.equals(FIXED) && !Standards.has(model)) {
                    throw new InputException(f + ": dram.model must be one of " + models() + ", got '" + Printable.excerpt(model) + "'");
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
                Path p;
                try {
                    p = Path.of(dn.get("config").asText());
                } catch (java.nio.file.InvalidPathException e) {
                    throw new InputException(f + ": dram.config is not a valid path: '" + Printable.excerpt(dn.get("config").asText()) + "'");
                }
                dramCfg = p.isAbsolute() || file.getParent() == null ? p : file.getParent().resolve(p);
            }
            // 0 = simulate every request
            repeats = (int) rangeInt(dn, "sample_repeats", repeats, f, "dram.", 0, MAX_SAMPLE_REPEATS);
            fClock = rangeDouble(dn, "clock_mhz", fClock, f, "dram.", MIN_CLOCK_MHZ, MAX_CLOCK_MHZ);
            fLat = rangeInt(dn, "latency_cycles", fLat, f, "dram.", 0, MAX_LATENCY_CYCLES);
            fBpc = rangeDouble(dn, "bytes_per_cycle", fBpc, f, "dram.", MIN_BYTES_PER_CYCLE, MAX_BYTES_PER_CYCLE);
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
                throw new InputException(file + ": unknown key '" + Printable.excerpt(prefix + key) + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static long rangeInt(JsonNode n, String key, long dflt, String file, String prefix, long min, long max) {
        if (!n.has(key)) {
            return dflt;
        }
        JsonNode v = n.get(key);
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw new InputException(file + ": " + prefix + key + " must be an integer in " + min + ".." + max + ", got '"
                    + Printable.excerpt(v.asText()) + "'");
        }
        return v.asLong();
    }

    private static double rangeDouble(JsonNode n, String key, double dflt, String file, String prefix, double min, double max) {
        if (!n.has(key)) {
            return dflt;
        }
        JsonNode v = n.get(key);
        if (!v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
            throw new InputException(file + ": " + prefix + key + " must be a number in " + number(min) + ".." + number(max)
                    + ", got '" + Printable.excerpt(v.asText()) + "'");
        }
        return v.asDouble();
    }

    /** 1000 rather than 1000.0, 0.001 rather than 1.0E-3. */
    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : java.math.BigDecimal.valueOf(v).toPlainString();
    }
}
