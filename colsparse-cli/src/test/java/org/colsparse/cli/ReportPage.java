package org.colsparse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks a report page as a reader sees it: every expected figure and section is there, and, where
 * a headless Chromium is installed, that the laid-out page at 1400 px has no text or table running
 * past its box and every image decodes.
 */
final class ReportPage {
    /** Runs in the page after layout; its verdict lands in a pre element that --dump-dom prints. */
    private static final String PROBE = """
            <script>
            document.querySelectorAll('details').forEach(d => d.open = true);
            const bad = [];
            const root = document.documentElement;
            if (root.scrollWidth > root.clientWidth) bad.push('page ' + root.scrollWidth + ' px wide in a ' + root.clientWidth + ' px window');
            const right = document.body.getBoundingClientRect().right;
            document.querySelectorAll('h1,h2,h3,p,li,table,th,td,figure,figcaption,img,summary').forEach(e => {
              const what = e.tagName + ' "' + (e.textContent || e.alt || '').trim().slice(0, 50) + '"';
              if (e.scrollWidth > e.clientWidth + 1 && e.tagName !== 'TD' && e.tagName !== 'TH') bad.push(what + ' overflows its box');
              if (e.getBoundingClientRect().right > right + 1) bad.push(what + ' runs past the page body');
            });
            document.querySelectorAll('img').forEach(i => { if (i.naturalWidth === 0) bad.push('image not decoded: ' + i.alt.slice(0, 50)); });
            const out = document.createElement('pre');
            // the markers are split so that the script's own text never matches them
            out.textContent = 'LAYOUT' + '-BEGIN' + bad.join(' | ') + 'LAYOUT' + '-END';
            document.body.appendChild(out);
            </script>
            """;

    private ReportPage() {
    }

    static void check(Path report, List<String> figures, List<String> sections) throws IOException, InterruptedException {
        String html = Files.readString(report);
        for (String f : figures) {
            assertTrue(Pattern.compile("<figure id=\"" + Pattern.quote(f) + "\"><img alt=\"[^\"]+\" src=\"data:image/png;base64,[A-Za-z0-9+/]{100}")
                    .matcher(html).find(), "figure " + f + " embedded with a caption");
        }
        for (String s : sections) {
            int at = html.indexOf("<h2>" + s + "</h2>");
            assertTrue(at >= 0, "section " + s);
            int next = html.indexOf("<h2>", at + 4);
            assertTrue(html.substring(at, next < 0 ? html.length() : next).contains("<table>"), "section " + s + " has its table");
        }
        String chromium = browser();
        if (chromium == null) {
            System.err.println("ReportPage: no chromium on PATH, layout not checked");
            return;
        }
        Path probe = Files.createTempFile(report.getParent(), "probe", ".html");
        Files.writeString(probe, html.replace("</body>", PROBE + "</body>"));
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                "--virtual-time-budget=10000", "--dump-dom", probe.toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        Files.delete(probe);
        Matcher m = Pattern.compile("LAYOUT-BEGIN(.*?)LAYOUT-END", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), "chromium ran the layout probe");
        assertEquals("", m.group(1), "layout problems at 1400 px");
    }

    private static String browser() {
        for (String name : new String[] {"chromium", "chromium-browser"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }
}
