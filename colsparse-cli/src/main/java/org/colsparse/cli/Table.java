package org.colsparse.cli;

import org.colsparse.report.Csv;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain table of strings, printed aligned for people or as RFC 4180 CSV for programs. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(List<String> header) {
        this.header = List.copyOf(header);
    }

    public Table add(List<?> row) {
        if (row.size() != header.size()) {
            throw new IllegalArgumentException("row has " + row.size() + " cells, header " + header.size());
        }
        List<String> cells = new ArrayList<>(row.size());
        for (Object o : row) {
            cells.add(o == null ? "" : unsignedZero(o.toString()));
        }
        rows.add(cells);
        return this;
    }

    /**
     * "-0.0000", "-0.00%", "-0.0": a tiny negative rounded to zero (or a negative zero) loses its
     * sign, which would read as a measured decrease; every other cell is returned as it is.
     */
    static String unsignedZero(String c) {
        if (c.length() < 2 || c.charAt(0) != '-') {
            return c;
        }
        int i = 1;
        boolean digit = false;
        while (i < c.length() && (c.charAt(i) == '0' || c.charAt(i) == '.')) {
            digit |= c.charAt(i) == '0';
            i++;
        }
        for (int j = i; j < c.length(); j++) {
            if (Character.isDigit(c.charAt(j))) {
                return c;
            }
        }
        return digit ? c.substring(1) : c;
    }

    public void print(PrintWriter out, OutputFormat format) {
        if (format == OutputFormat.csv) {
            printCsv(out);
        } else {
            printAligned(out);
        }
        out.flush();
    }

    private void printAligned(PrintWriter out) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        line(out, header, w);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        out.println(rule);
        for (List<String> r : rows) {
            line(out, r, w);
        }
    }

    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("-?[0-9][0-9.,]*([eE][-+]?[0-9]+)?( ?(%|pp|x|s))?");

    private static void line(PrintWriter out, List<String> cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            if (i > 0) {
                sb.append("  ");
            }
            // text left-aligned, numbers right-aligned: easier to compare digits down a column; a sentence
            // that starts with a digit ("6 rows per call ...") is text
            boolean numeric = NUMBER.matcher(c).matches();
            sb.append(numeric ? " ".repeat(w[i] - c.length()) + c : c + " ".repeat(w[i] - c.length()));
        }
        out.println(sb.toString().stripTrailing());
    }

    private void printCsv(PrintWriter out) {
        out.println(Csv.line(header));
        for (List<String> r : rows) {
            out.println(Csv.line(r));
        }
    }
}
