package org.colsparse.dram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.colsparse.util.InputException;
import org.colsparse.util.Printable;

/**
 * Reads a DRAM configuration YAML (keys as in Ramulator 2.1's exported configs; see
 * {@code config/dram/*.yaml}). Every key is optional and overrides the base configuration — the
 * file's {@code preset}, else the base given by the caller:
 *
 * <pre>
 * preset: ramulator2-gddr6
 * memory_system:
 *   channels: 2
 *   channel_mapper: {impl: CacheLineInterleave, interleave_bits: 0}
 *   controller:
 *     impl: GenericDDR                     # GenericDDR (GDDR6) | HBM12 (HBM2) | HBM34 (HBM3)
 *     read_buffer_size: 32
 *     write_buffer_size: 32
 *     wr_low_watermark: 0.2
 *     wr_high_watermark: 0.8
 *     scheduler: {impl: FRFCFS}            # FRFCFS | FRFCFS-RowHit
 *     refresh_manager: {impl: AllBank}     # AllBank | NoRefresh; HBM also PerBank | HBM34PerBankRefresh
 *     row_policy: {impl: Open}             # Open | ClosedCAP (cap: 4)
 *     addr_mapper: {impl: RoBaRaCoCh}      # RoBaRaCoCh | ChRaBaRoCo
 *     dram:
 *       impl: GDDR6                        # a standard of Standards: GDDR6 | HBM2 | HBM3
 *       org_preset: GDDR6_16Gb_x16
 *       timing_preset: GDDR6_14000_1350mV_double
 *       org: {bankgroup: 4, bank: 4, row: 16384, column: 2048, dq: 16, channel_width: 16}
 *       timing: {nCL: 24, nRCDRD: 27}      # any of the standard's Ramulator timing names, in cycles
 * </pre>
 *
 * <p>Each number must lie in its valid range ({@link DramConfig}, {@link DramOrg}; docs/dram.md),
 * checked here with the key's full path in the message.
 */
public final class DramConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A zero burst length, clock period or refresh interval has no meaning (nREFI 0 silently disabled refresh). */
    // a refresh interval of 0 puts the first deadline before the first cycle: refresh would silently never run
    private static final Set<String> MUST_BE_NONZERO = Set.of("rate", "nBL", "nREFI", "nREFIpb");

    private DramConfigLoader() {
    }

    public static DramConfig load(Path file, DramConfig base) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + ": is a directory, not a DRAM config");
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": DRAM config not found");
        } catch (IOException e) {
            if (!file.toFile().exists()) {
                throw new InputException(file + ": DRAM config not found");
            }
            throw new InputException(file + ": not valid YAML: " + Printable.excerpt(firstLine(e.getMessage()), 200));
        }
        try {
            String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            return parse(root, base, stem);
        } catch (IllegalArgumentException e) {
            throw new InputException(file + ": " + e.getMessage());
        }
    }

    /** {@code name}: what to call the result when the file changes anything. */
    static DramConfig parse(JsonNode root, DramConfig base, String name) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return base;
        }
        Ctx c = new Ctx();
        c.object(root, "", Set.of("preset", "memory_system"));
        DramConfig cfg = base;
        if (root.has("preset")) {
            cfg = DramConfig.preset(c.text(root, "preset"));
        }
        JsonNode ms = root.path("memory_system");
        if (ms.isMissingNode()) {
            return cfg;
        }
        c.object(ms, "memory_system", Set.of("impl", "clock_ratio", "channels", "channel_mapper", "controller"));
        c.expect(ms, "impl", "memory_system.impl", "GenericDRAM");
        if (ms.has("clock_ratio") && c.integer(ms, "clock_ratio", "memory_system.clock_ratio", 0, Integer.MAX_VALUE) != 1) {
            throw new IllegalArgumentException("memory_system.clock_ratio: only 1 is supported (the frontend offers "
                    + "one request per memory cycle)");
        }
        int channels = ms.has("channels") ? c.integer(ms, "channels", "memory_system.channels", 1, DramConfig.MAX_CHANNELS)
                : cfg.channels();
        int interleave = cfg.interleaveBits();
        JsonNode cm = ms.path("channel_mapper");
        if (!cm.isMissingNode()) {
            c.object(cm, "memory_system.channel_mapper", Set.of("impl", "interleave_bits"));
            c.expect(cm, "impl", "memory_system.channel_mapper.impl", "CacheLineInterleave");
            if (cm.has("interleave_bits")) {
                // a negative shift would take the channel from bits inside the 32-byte burst
                interleave = c.integer(cm, "interleave_bits", "memory_system.channel_mapper.interleave_bits", 0, 32);
            }
        }
        int rb = cfg.readBufferSize();
        int wb = cfg.writeBufferSize();
        float lo = cfg.wrLowWatermark();
        float hi = cfg.wrHighWatermark();
        String sched = cfg.scheduler();
        String refresh = cfg.refresh();
        String rowPolicy = cfg.rowPolicy();
        int cap = cfg.rowPolicyCap();
        String mapper = cfg.addrMapper();
        String controller = cfg.controller();
        DramSpec spec = cfg.spec();
        JsonNode ct = ms.path("controller");
        if (!ct.isMissingNode()) {
            String p = "memory_system.controller";
            c.object(ct, p, Set.of("impl", "read_buffer_size", "write_buffer_size", "wr_low_watermark",
                    "wr_high_watermark", "scheduler", "refresh_manager", "row_policy", "addr_mapper", "dram"));
            if (ct.has("impl")) {
                controller = c.text(ct, "impl");
            }
            if (ct.has("read_buffer_size")) {
                rb = c.integer(ct, "read_buffer_size", p + ".read_buffer_size", 1, DramConfig.MAX_BUFFER);
            }
            if (ct.has("write_buffer_size")) {
                wb = c.integer(ct, "write_buffer_size", p + ".write_buffer_size", 1, DramConfig.MAX_BUFFER);
            }
            if (ct.has("wr_low_watermark")) {
                lo = (float) c.number(ct, "wr_low_watermark", p + ".wr_low_watermark");
            }
            if (ct.has("wr_high_watermark")) {
                hi = (float) c.number(ct, "wr_high_watermark", p + ".wr_high_watermark");
            }
            sched = c.impl(ct, "scheduler", p, sched, Set.of("impl"));
            refresh = c.impl(ct, "refresh_manager", p, refresh, Set.of("impl"));
            rowPolicy = c.impl(ct, "row_policy", p, rowPolicy, Set.of("impl", "cap"));
            if (ct.path("row_policy").has("cap")) {
                cap = c.integer(ct.path("row_policy"), "cap", p + ".row_policy.cap", 1, DramConfig.MAX_ROW_POLICY_CAP);
            }
            mapper = c.impl(ct, "addr_mapper", p, mapper, Set.of("impl"));
            JsonNode dram = ct.path("dram");
            if (!dram.isMissingNode()) {
                spec = parseDram(c, dram, spec, p + ".dram");
            }
        }
        // A file that changes anything is its own configuration, named after the file.
        return new DramConfig(ms.size() == 0 ? cfg.name() : name, spec, channels,
                interleave, rb, wb, lo, hi, sched, refresh, rowPolicy, cap, mapper, controller);
    }

    private static DramSpec parseDram(Ctx c, JsonNode dram, DramSpec spec, String p) {
        c.object(dram, p, Set.of("impl", "org_preset", "timing_preset", "org", "timing"));
        DramStandard std = spec.standard();
        if (dram.has("impl") && !dram.get("impl").asText().equals(std.name())) {
            // another standard: its presets must be named, the base's belong to the base's standard
            String impl = dram.get("impl").asText();
            if (!Standards.has(impl) || !dram.has("org_preset") || !dram.has("timing_preset")) {
                throw new IllegalArgumentException(p + ".impl: '" + Printable.excerpt(impl) + "' needs a preset of that standard"
                        + " (known standards: " + Standards.names() + "; or set preset: to one of " + Standards.presets() + ")");
            }
            std = Standards.get(impl);
        }
        if (dram.has("org_preset") || dram.has("timing_preset") || std != spec.standard()) {
            String op = dram.has("org_preset") ? c.text(dram, "org_preset") : spec.orgPreset();
            String tp = dram.has("timing_preset") ? c.text(dram, "timing_preset") : spec.timingPreset();
            spec = DramSpec.of(std, op, tp);
        }
        JsonNode org = dram.path("org");
        if (!org.isMissingNode()) {
            c.object(org, p + ".org", Set.of("pseudochannel", "bankgroup", "bank", "row", "column", "dq", "channel_width"));
            DramOrg o = spec.org();
            o = o.withSizes(
                    org.has("bankgroup") ? c.integer(org, "bankgroup", p + ".org.bankgroup", 1, DramOrg.MAX_BANK_GROUPS)
                            : o.bankGroups(),
                    org.has("bank") ? c.integer(org, "bank", p + ".org.bank", 1, DramOrg.MAX_BANKS_PER_GROUP) : o.banksPerGroup(),
                    org.has("row") ? c.integer(org, "row", p + ".org.row", 1, DramOrg.MAX_ROWS) : o.rows(),
                    org.has("column") ? c.integer(org, "column", p + ".org.column", 1, DramOrg.MAX_COLUMNS) : o.columns(),
                    org.has("dq") ? c.integer(org, "dq", p + ".org.dq", 1, DramOrg.MAX_DQ) : o.dq(),
                    org.has("channel_width")
                            ? c.integer(org, "channel_width", p + ".org.channel_width", 1, DramOrg.MAX_CHANNEL_WIDTH)
                            : o.channelWidth());
            if (org.has("pseudochannel")) {
                DramOrg b = o;
                o = new DramOrg(b.densityMbit(), b.dq(), b.channelWidth(), b.bankGroups(), b.banksPerGroup(), b.rows(), b.columns(),
                        b.prefetch(), c.integer(org, "pseudochannel", p + ".org.pseudochannel", 1, DramOrg.MAX_PSEUDO_CHANNELS),
                        b.sids());
            }
            spec = spec.withOrg(o);
        }
        JsonNode timing = dram.path("timing");
        if (!timing.isMissingNode()) {
            Timings t = spec.timing();
            c.object(timing, p + ".timing", new java.util.LinkedHashSet<>(t.names()));
            for (String name : t.names()) {
                if (timing.has(name)) {
                    boolean clock = name.equals("tCK_ps");
                    t = t.with(name, c.integer(timing, name, p + ".timing." + name,
                            clock ? DramConfig.MIN_TCK_PS : MUST_BE_NONZERO.contains(name) ? 1 : 0,
                            clock ? DramConfig.MAX_TCK_PS : DramConfig.MAX_TIMING));
                }
            }
            spec = spec.withTiming(t);
        }
        return spec;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private record Ctx() {
        void object(JsonNode n, String path, Set<String> allowed) {
            if (!n.isObject()) {
                throw new IllegalArgumentException((path.isEmpty() ? "top level" : path) + ": expected a mapping");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                String k = it.next().getKey();
                if (!allowed.contains(k)) {
                    throw new IllegalArgumentException("unknown key '" + Printable.excerpt(path.isEmpty() ? k : path + "." + k)
                            + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")");
                }
            }
        }

        String text(JsonNode n, String key) {
            JsonNode v = n.get(key);
            if (!v.isTextual()) {
                throw new IllegalArgumentException(key + ": expected a name");
            }
            return v.asText();
        }

        int integer(JsonNode n, String key, String path, int min, int max) {
            JsonNode v = n.get(key);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
                throw new IllegalArgumentException(path + " must be an integer in " + min + ".." + max + ", got '"
                        + Printable.excerpt(v.asText()) + "'");
            }
            return v.asInt();
        }

        double number(JsonNode n, String key, String path) {
            JsonNode v = n.get(key);
            if (!v.isNumber()) {
                throw new IllegalArgumentException(path + ": expected a number, got '" + Printable.excerpt(v.asText()) + "'");
            }
            return v.asDouble();
        }

        void expect(JsonNode n, String key, String path, String value) {
            if (n.has(key) && !value.equals(n.get(key).asText())) {
                throw new IllegalArgumentException(path + ": only '" + value + "' is supported, got '"
                        + Printable.excerpt(n.get(key).asText()) + "'");
            }
        }

        String impl(JsonNode ct, String key, String p, String current, Set<String> allowed) {
            JsonNode n = ct.path(key);
            if (n.isMissingNode()) {
                return current;
            }
            object(n, p + "." + key, allowed);
            if (!n.has("impl")) {
                return current;
            }
            return n.get("impl").asText();
        }
    }
}
