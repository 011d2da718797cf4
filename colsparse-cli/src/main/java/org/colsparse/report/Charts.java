package org.colsparse.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report's figures as PNG bytes (XChart, headless). */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** One bar-chart panel of {@link #panels}. */
    public record Panel(String title, String yLabel, List<String> categories, Map<String, List<Double>> series, boolean stacked) {
    }

    /**
     * Several bar charts in one picture, {@code perRow} panels a row, each on its own y scale: a
     * quantity 50x smaller than its neighbour (column vs element sparsity, a small workload's cycles
     * beside a big one's) stays readable, which one shared linear axis would flatten to nothing.
     */
    public static byte[] panels(List<Panel> panels, int perRow, int panelWidth, int panelHeight) {
        int rows = (panels.size() + perRow - 1) / perRow;
        int cols = Math.min(perRow, panels.size());
        BufferedImage all = new BufferedImage(cols * panelWidth, rows * panelHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            CategoryChart c = barChart(panelWidth, panelHeight, p.title(), p.yLabel(), p.categories(), p.series(), p.stacked());
            g.drawImage(BitmapEncoder.getBufferedImage(c), (i % perRow) * panelWidth, (i / perRow) * panelHeight, null);
        }
        g.dispose();
        return png(all);
    }

    private static CategoryChart barChart(int width, int height, String title, String yLabel, List<String> categories,
                                          Map<String, List<Double>> series, boolean stacked) {
        CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title).yAxisTitle(yLabel).build();
        style(c);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setStacked(stacked);
        // XChart labels only categories at least the spacing hint (74 px by default) apart: every one gets its label
        c.getStyler().setXAxisTickMarkSpacingHint(8);
        c.getStyler().setXAxisLabelRotation(categories.size() > 4 ? 40 : 0);
        c.getStyler().setYAxisDecimalPattern("#,##0.###");
        series.forEach((name, values) -> c.addSeries(name, categories, values));
        return c;
    }

    /** Lines over a shared numeric x axis; {@code logX} for thresholds and tile heights. */
    public static byte[] lines(String title, String xLabel, String yLabel, boolean logX, Map<String, double[][]> series) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(c);
        c.getStyler().setXAxisLogarithmic(logX);
        series.forEach((name, xy) -> c.addSeries(name, xy[0], xy[1]));
        return png(c);
    }

    /**
     * A heat map of {@code values[row][col]}, each in [0, 1] (e.g. per-channel activity over
     * timesteps): white at 0, dark blue at 1, the colour bar fixed to 0..1 and titled {@code scaleLabel}.
     */
    public static byte[] heatMap(String title, String xLabel, String yLabel, String scaleLabel, double[][] values) {
        HeatMapChart c = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setShowValue(false);
        c.getStyler().setPlotContentSize(1.0);
        c.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x6baed6), new Color(0x08306b)});
        c.getStyler().setMin(0);
        c.getStyler().setMax(1);
        c.getStyler().setHeatMapDecimalValueFormatter(v -> String.format(java.util.Locale.ROOT, "%.1f", v));
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        List<Integer> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int i = 0; i < cols; i++) {
            xs.add(i);
        }
        for (int j = 0; j < rows; j++) {
            ys.add(j);
        }
        List<Number[]> cells = new ArrayList<>();
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < cols; i++) {
                cells.add(new Number[] {i, j, values[j][i]});
            }
        }
        c.addSeries(scaleLabel, xs, ys, cells);
        // XChart draws no title on a heat map's colour bar; this one goes up a margin to its right
        int margin = 28;
        BufferedImage chart = BitmapEncoder.getBufferedImage(c);
        BufferedImage img = new BufferedImage(chart.getWidth() + margin, chart.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.drawImage(chart, 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.DARK_GRAY);
        g.setFont(c.getStyler().getAxisTitleFont());
        g.rotate(-Math.PI / 2);
        g.drawString(scaleLabel, -(img.getHeight() + g.getFontMetrics().stringWidth(scaleLabel)) / 2, img.getWidth() - 10);
        g.dispose();
        return png(img);
    }

    private static void style(Chart<?, ?> c) {
        Styler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
    }

    private static byte[] png(Chart<?, ?> c) {
        try {
            return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
