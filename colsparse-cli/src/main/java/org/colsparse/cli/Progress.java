package org.colsparse.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/**
 * Progress of long work (README): a progress bar when a person watches a terminal, otherwise a
 * plain line at every tenth of the work so logs stay short and readable.
 */
public final class Progress implements AutoCloseable {
    private final String task;
    private final long total;
    private final ProgressBar bar;
    private final PrintWriter plain;
    private long lastTenth = -1;

    private Progress(String task, long total, ProgressBar bar, PrintWriter plain) {
        this.task = task;
        this.total = total;
        this.bar = bar;
        this.plain = plain;
    }

    /** A bar on a terminal, else plain lines on {@code err}. */
    public static Progress start(String task, long total, PrintWriter err) {
        if (System.console() != null) {
            ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).build();
            return new Progress(task, total, bar, null);
        }
        return new Progress(task, total, null, err);
    }

    /** Reports that {@code done} of the total units are finished. */
    public void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
            return;
        }
        long tenth = total == 0 ? 10 : done * 10 / total;
        if (tenth > lastTenth) {
            lastTenth = tenth;
            plain.printf("%s: %d/%d (%d%%)%n", task, done, total, tenth * 10);
            plain.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
