package org.colsparse.report;

import java.util.List;

/** RFC 4180 CSV: cells with a comma, quote or newline are quoted, quotes doubled. */
public final class Csv {
    private Csv() {
    }

    public static String line(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0) {
                c = '"' + c.replace("\"", "\"\"") + '"';
            }
            sb.append(i == 0 ? "" : ",").append(c);
        }
        return sb.toString();
    }

    public static String table(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder(line(header)).append('\n');
        for (List<String> r : rows) {
            sb.append(line(r)).append('\n');
        }
        return sb.toString();
    }
}
