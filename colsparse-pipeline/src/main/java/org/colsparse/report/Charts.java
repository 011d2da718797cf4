package org.colsparse.report;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
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

    /**
     * Colours, markers and line styles that tell up to 40 series apart in print and in grey: the
     * nth series gets the nth of each, so two series share at most a colour or a marker, never all three.
     */
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
            SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS, SeriesMarkers.OVAL, SeriesMarkers.TRAPEZOID};
    private static final BasicStroke[] LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT, SeriesLines.DASH_DOT};

    /**
     * One bar-chart panel of {@link #panels}; {@code valueLabels} prints each bar's value on it, so
     * that a bar too short to see still reads as its number.
     */
    public record Panel(String title, String yLabel, List<String> categories, Map<String, List<Double>> series, boolean stacked,
                        boolean valueLabels) {
        public Panel(String title, String yLabel, List<String> categories, Map<String, List<Double>> series, boolean stacked) {
            this(title, yLabel, categories, series, stacked, false);
        }
    }

    /** A vertical line across a line chart at {@code x}, named in the legend (e.g. the primary threshold). */
    public record Mark(double x, String label) {
    }

    /** Points drawn over a line chart as large markers without a line, named in the legend (e.g. where a rule fires). */
    public record Highlight(String label, double[] x, double[] y) {
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
            if (p.valueLabels()) {
                c.getStyler().setLabelsVisible(true);
                c.getStyler().setLabelsPosition(1.0);
                c.getStyler().setLabelsRotation(0);
                c.getStyler().setLabelsFontColor(Color.DARK_GRAY);
                c.getStyler().setLabelsFont(c.getStyler().getAxisTickLabelsFont());
                c.getStyler().setYAxisDecimalPattern("0.00");
            }
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
        c.getStyler().setSeriesColors(COLORS);
        series.forEach((name, values) -> c.addSeries(name, categories, values));
        return c;
    }

    /** Lines over a shared numeric x axis; {@code logX} for thresholds and tile heights. */
    public static byte[] lines(String title, String xLabel, String yLabel, boolean logX, Map<String, double[][]> series) {
        return lines(title, xLabel, yLabel, logX, series, List.of(), List.of());
    }

    /**
     * {@link #lines} with vertical {@code marks} and {@code highlights} over the lines; every series
     * has its own colour, marker and line style, so lines that cross or coincide stay told apart.
     */
    public static byte[] lines(String title, String xLabel, String yLabel, boolean logX, Map<String, double[][]> series,
                               List<Mark> marks, List<Highlight> highlights) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(c);
        c.getStyler().setXAxisLogarithmic(logX);
        if (!logX) {
            // XChart's own pattern drops the leading zero of the first tick only (".05" beside "0.15")
            c.getStyler().setXAxisDecimalPattern("0.0#");
        }
        c.getStyler().setMarkerSize(7);
        c.getStyler().setYAxisDecimalPattern("0.###");
        int i = 0;
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            styled(c.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]), i++);
            for (double y : e.getValue()[1]) {
                low = Math.min(low, y);
                high = Math.max(high, y);
            }
        }
        for (Highlight h : highlights) {
            if (h.x().length == 0) {
                continue;
            }
            XYSeries s = c.addSeries(h.label(), h.x(), h.y());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(Color.BLACK);
            s.setLineStyle(SeriesLines.NONE);
        }
        if (!(low <= high)) {
            low = 0;
            high = 1;
        }
        for (Highlight h : highlights) {
            // the label once per x, a little above the highest point there: a marker alone is easily taken for the line's own
            Map<Double, Double> top = new java.util.TreeMap<>();
            for (int k = 0; k < h.x().length; k++) {
                top.merge(h.x()[k], h.y()[k], Math::max);
            }
            double lift = 0.06 * (high - Math.min(low, 0));
            top.forEach((x, y) -> c.addAnnotation(new AnnotationText(h.label(), x, y + lift, false)));
        }
        for (Mark m : marks) {
            // a two-point series rather than an annotation: it is named in the legend and scales with the axes
            XYSeries s = c.addSeries(m.label(), new double[] {m.x(), m.x()}, new double[] {Math.min(low, 0), high});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(Color.DARK_GRAY);
            s.setLineStyle(SeriesLines.DASH_DASH);
        }
        return png(c);
    }

    /**
     * Lines over categories (e.g. the measured tile heights): one tick per category, at equal
     * steps, labelled with the category itself, and each series styled as in {@link #lines}.
     */
    public static byte[] categoryLines(String title, String xLabel, String yLabel, List<String> categories, Map<String, List<Double>> series) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(c);
        c.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        // every series at the category's own tick, not side by side as bars would be
        c.getStyler().setOverlapped(true);
        c.getStyler().setMarkerSize(7);
        c.getStyler().setXAxisTickMarkSpacingHint(8);
        c.getStyler().setYAxisDecimalPattern("#,##0.###");
        int i = 0;
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            styled(c.addSeries(e.getKey(), categories, e.getValue()), i++);
        }
        return png(c);
    }

    private static void styled(org.knowm.xchart.internal.series.MarkerSeries s, int i) {
        Color color = COLORS[i % COLORS.length];
        s.setMarker(MARKERS[i % MARKERS.length]);
        s.setMarkerColor(color);
        s.setLineColor(color);
        s.setLineStyle(LINES[i % LINES.length]);
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
