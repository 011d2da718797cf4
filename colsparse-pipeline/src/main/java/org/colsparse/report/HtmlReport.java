package org.colsparse.report;

import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page: figures are embedded as base64 PNG data URIs so the report can be
 * mailed or archived as one file.
 */
public final class HtmlReport {
    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlReport(String title) {
        this.title = title;
    }

    public HtmlReport heading(int level, String text) {
        body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    public HtmlReport bullets(List<String> items) {
        body.append("<ul>\n");
        for (String s : items) {
            body.append("<li>").append(escape(s)).append("</li>\n");
        }
        body.append("</ul>\n");
        return this;
    }

    public HtmlReport preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    public HtmlReport table(List<String> header, List<List<String>> rows) {
        return table(header, rows, "");
    }

    /** A table whose text cells wrap (long method texts) instead of widening the page. */
    public HtmlReport wrappedTable(List<String> header, List<List<String>> rows) {
        return table(header, rows, " class=\"wrap\"");
    }

    private HtmlReport table(List<String> header, List<List<String>> rows, String attributes) {
        body.append("<table").append(attributes).append(">\n<thead><tr>");
        for (String h : header) {
            body.append("<th>").append(escape(h)).append("</th>");
        }
        body.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            for (String c : r) {
                body.append(numeric(c) ? "<td class=\"n\">" : "<td>").append(escape(c)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody></table>\n");
        return this;
    }

    /** A figure; {@code id} names it on the page (the report uses the PNG's file name). */
    public HtmlReport figure(String id, byte[] png, String caption) {
        body.append("<figure id=\"").append(escape(id)).append("\"><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>")
                .append(escape(caption)).append("</figcaption></figure>\n");
        return this;
    }

    /** An image with its label, for {@link #pictureRow}. */
    public record Picture(byte[] png, String label) {
    }

    /** Pictures side by side, each labelled, under one caption: for comparing them at a glance. */
    public HtmlReport pictureRow(List<Picture> pictures, String caption) {
        body.append("<figure class=\"row\"><div class=\"pics\">");
        for (Picture p : pictures) {
            body.append("<div><img alt=\"").append(escape(p.label())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(p.png())).append("\"><div class=\"label\">").append(escape(p.label()))
                    .append("</div></div>");
        }
        body.append("</div><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
        return this;
    }

    /** A table folded under a one-line summary the reader clicks to open. */
    public HtmlReport details(String summary, List<String> header, List<List<String>> rows) {
        body.append("<details><summary>").append(escape(summary)).append("</summary>\n");
        table(header, rows);
        body.append("</details>\n");
        return this;
    }

    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;max-width:1250px;margin:2em auto;padding:0 1em;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0;font-size:85%}th,td{border:1px solid #bbb;padding:3px 6px;text-align:left}"
                + "td{white-space:nowrap}td.n{text-align:right}th{background:#eee;vertical-align:bottom}figure{margin:1.5em 0}img{max-width:100%}"
                + "figcaption{font-size:90%;color:#555}pre{background:#f6f6f6;padding:.6em;overflow-x:auto}"
                + ".pics{display:flex;flex-wrap:wrap;gap:8px}.pics>div{flex:1 1 150px;max-width:260px;text-align:center}.label{font-size:85%;text-align:center}"
                + "details{margin:.5em 0}summary{cursor:pointer}"
                // a full-size UNet's GEMM and site names run to 60 characters: they wrap rather than widen the page
                + "details td:not(.n),table.wrap td:not(.n){white-space:normal;overflow-wrap:anywhere}</style>\n"
                + "</head><body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body></html>\n";
    }

    /** Numbers are right-aligned so digits line up down a column; text reads left to right. */
    private static boolean numeric(String c) {
        return !c.isEmpty() && (Character.isDigit(c.charAt(0)) || c.length() > 1 && c.charAt(0) == '-' && Character.isDigit(c.charAt(1)));
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
