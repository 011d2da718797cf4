package org.colsparse.systolic;

import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Reads topology CSVs into GEMMs. Three formats, told apart by the header:
 * <ul>
 * <li>shapes: {@code name, m, k, n[, instances[, consumes_site[, macs]]]} — what
 *     {@code colsparse shapes --format csv} prints, so a whole denoiser call can be simulated
 *     (macs is derived and ignored);</li>
 * <li>GEMM: {@code Layer, M, N, K} — taken as is;</li>
 * <li>conv: {@code Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels,
 *     Num Filter, Strides[, Stride width]} — lowered by im2col exactly as SCALE-Sim does (no padding):
 *     {@code M = ceil((H - Fh + S)/S) * ceil((W - Fw + Sw)/Sw)}, {@code N = Num Filter},
 *     {@code K = Fh * Fw * Channels}. A layer whose name contains "DP" is depthwise: SCALE-Sim runs it
 *     as {@code Channels} one-channel layers, here one GEMM with that many instances.</li>
 * </ul>
 * Trailing commas (SCALE-Sim writes one per line) and blank lines are accepted.
 */
public final class Topology {
    private Topology() {
    }

    public static List<Gemm> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": topology file not found");
        } catch (CharacterCodingException e) {
            throw new InputException(file + ": not a topology CSV (not UTF-8 text)");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read topology: " + e.getMessage());
        }
        return parse(lines, file.toString());
    }

    public static List<Gemm> parse(List<String> lines, String file) {
        int headerLine = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                headerLine = i;
                break;
            }
        }
        if (headerLine < 0) {
            throw new InputException(file + ": empty topology file");
        }
        List<String> header = cells(lines.get(headerLine));
        String joined = String.join(",", header).toLowerCase(Locale.ROOT);
        boolean conv = joined.contains("ifmap") || joined.contains("filter");
        boolean gemm = !conv && header.size() >= 4
                && header.get(1).equalsIgnoreCase("m") && header.get(2).equalsIgnoreCase("n") && header.get(3).equalsIgnoreCase("k");
        boolean shapes = !conv && header.size() >= 4 && header.get(0).equalsIgnoreCase("name")
                && header.get(1).equalsIgnoreCase("m") && header.get(2).equalsIgnoreCase("k") && header.get(3).equalsIgnoreCase("n");
        if (!conv && !gemm && !shapes) {
            throw new InputException(file + " line " + (headerLine + 1) + ": header is neither SCALE-Sim GEMM (Layer, M, N, K), conv (Layer name, IFMAP Height, ...)"
                    + " nor shapes CSV (name, m, k, n, ...)");
        }
        List<Gemm> out = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (int i = headerLine + 1; i < lines.size(); i++) {
            List<String> c = cells(lines.get(i));
            while (!c.isEmpty() && c.get(c.size() - 1).isEmpty()) {
                c.remove(c.size() - 1);
            }
            if (c.isEmpty() || c.stream().allMatch(String::isEmpty)) {
                continue;
            }
            String where = file + " line " + (i + 1);
            Gemm g = gemm ? gemmRow(c, where) : shapes ? shapesRow(c, where) : convRow(c, where);
            if (g.name().isEmpty()) {
                throw new InputException(where + ": empty layer name");
            }
            // masks (--mask-dir DIR/<layer>.npy) and per-layer results are keyed by name
            Integer first = lineOf.putIfAbsent(g.name(), i + 1);
            if (first != null) {
                throw new InputException(where + ": layer name '" + g.name() + "' already used on line " + first + "; layer names must be unique");
            }
            out.add(g);
        }
        if (out.isEmpty()) {
            throw new InputException(file + ": topology has no layers");
        }
        return out;
    }

    private static Gemm gemmRow(List<String> c, String where) {
        if (c.size() < 4) {
            throw new InputException(where + ": need Layer, M, N, K");
        }
        return new Gemm(c.get(0), num(c, 1, "M", where), num(c, 2, "N", where), num(c, 3, "K", where));
    }

    private static Gemm shapesRow(List<String> c, String where) {
        if (c.size() < 4) {
            throw new InputException(where + ": need name, m, k, n");
        }
        long instances = c.size() > 4 && !c.get(4).isEmpty() ? num(c, 4, "instances", where) : 1;
        String site = c.size() > 5 ? c.get(5) : "";
        return new Gemm(c.get(0), num(c, 1, "m", where), num(c, 3, "n", where), num(c, 2, "k", where), instances, site);
    }

    private static Gemm convRow(List<String> c, String where) {
        if (c.size() < 8) {
            throw new InputException(where + ": need Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides");
        }
        long ih = num(c, 1, "IFMAP Height", where);
        long iw = num(c, 2, "IFMAP Width", where);
        long fh = num(c, 3, "Filter Height", where);
        long fw = num(c, 4, "Filter Width", where);
        long ch = num(c, 5, "Channels", where);
        long nf = num(c, 6, "Num Filter", where);
        long sh = num(c, 7, "Strides", where);
        long sw = c.size() > 8 && !c.get(8).isEmpty() ? num(c, 8, "Stride width", where) : sh;
        if (fh > ih || fw > iw) {
            throw new InputException(where + ": filter " + fh + "x" + fw + " is larger than the IFMAP " + ih + "x" + iw);
        }
        // ceil((ih - fh + sh) / sh), written so that huge values cannot wrap
        long oh = CycleModel.ceilDiv(ih - fh, sh) + 1;
        long ow = CycleModel.ceilDiv(iw - fw, sw) + 1;
        String name = c.get(0);
        try {
            if (name.contains("DP")) {
                return new Gemm(name, Math.multiplyExact(oh, ow), nf, Math.multiplyExact(fh, fw), ch, "");
            }
            return new Gemm(name, Math.multiplyExact(oh, ow), nf, Math.multiplyExact(Math.multiplyExact(fh, fw), ch));
        } catch (ArithmeticException e) {
            throw new InputException(where + ": layer too large (its GEMM dimensions exceed 2^63)");
        }
    }

    private static long num(List<String> c, int i, String field, String where) {
        try {
            long v = Long.parseLong(c.get(i));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InputException(where + ": " + field + " must be a positive integer, got '" + c.get(i) + "'");
    }

    private static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        for (String s : line.split(",", -1)) {
            // SCALE-Sim's own files start with a UTF-8 byte order mark now and then
            out.add(s.replace("\uFEFF", "").trim());
        }
        return out;
    }
}
