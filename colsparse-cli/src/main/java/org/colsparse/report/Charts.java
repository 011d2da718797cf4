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

    /** Grouped bars: one group per category, one bar colour per series. */
    public static byte[] bars(String title, String yLabel, List<String> categories, Map<String, List<Double>> series) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yLabel).build();
        style(c);
        c.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 30 : 0);
        series.forEach((name, values) -> c.addSeries(name, categories, values));
        return png(c);
    }

    /** Stacked bars (e.g. compute vs memory stall per layout). */
    public static byte[] stackedBars(String title, String yLabel, List<String> categories, Map<String, List<Double>> series) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yLabel).build();
        style(c);
        c.getStyler().setStacked(true);
        c.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 30 : 0);
        series.forEach((name, values) -> c.addSeries(name, categories, values));
        return png(c);
    }

    /** Lines over a shared numeric x axis; {@code logX} for thresholds and tile heights. */
    public static byte[] lines(String title, String xLabel, String yLabel, boolean logX, Map<String, double[][]> series) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(c);
        c.getStyler().setXAxisLogarithmic(logX);
        series.forEach((name, xy) -> c.addSeries(name, xy[0], xy[1]));
        return png(c);
    }

    /** A heat map of {@code values[row][col]} (e.g. per-channel activity over timesteps). */
    public static byte[] heatMap(String title, String xLabel, String yLabel, double[][] values) {
        HeatMapChart c = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setShowValue(false);
        c.getStyler().setPlotContentSize(1.0);
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
        c.addSeries("activity", xs, ys, cells);
        return png(c);
    }

    private static void style(Chart<?, ?> c) {
        Styler s = c.getStyler();
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
    }

    private static byte[] png(Chart<?, ?> c) {
        try {
            return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
