package io.jselect.lab.experiments;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The lab's charts, drawn with JFreeChart for a page 800 pixels wide: large type, labelled axes with
 * units, one colour per mechanism or server kept the same across every chart of the lab.
 */
public final class Charts {
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private Charts() {
    }

    /**
     * A colour per name: select blue, poll orange, epoll green, threads red (and a student's exercises 1, 2,
     * 3 and 5 the colour of their mechanism), others from a fixed list.
     */
    public static Color colour(String name) {
        String base = name.replaceAll(" .*", "");
        switch (base) {
            case "select": case "ex1": return new Color(0x1f77b4);
            case "poll": case "ex2": return new Color(0xff7f0e);
            case "epoll": case "ex3": return new Color(0x2ca02c);
            case "threads": case "ex5": return new Color(0xd62728);
            default:
                Color[] others = {new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
                return others[Math.floorMod(base.hashCode(), others.length)];
        }
    }

    /**
     * A marker per name, as {@link #colour} gives a colour: the same series keeps its shape in every panel
     * of a chart (JFreeChart would otherwise hand each panel's series the next shapes in its sequence).
     */
    static Shape marker(String name) {
        String base = name.replaceAll(" .*", "");
        int index;
        switch (base) {
            case "select": case "ex1": index = 0; break; // square
            case "poll": case "ex2": index = 1; break; // circle
            case "epoll": case "ex3": index = 2; break; // triangle
            case "threads": case "ex5": index = 3; break; // diamond
            default: index = 4 + Math.floorMod(base.hashCode(), 4);
        }
        return MARKERS[index];
    }

    private static final Shape[] MARKERS = DefaultDrawingSupplier.createStandardSeriesShapes();

    /**
     * One line of a chart.
     *
     * @param name the legend's entry
     * @param dashed a thin dashed line without markers (a reference, such as published figures)
     * @param xs x values, positive on a log axis
     * @param ys y values, positive on a log axis; NaN points are left out
     */
    public record Line(String name, Color colour, boolean dashed, double[] xs, double[] ys) {
    }

    /**
     * One panel of a chart: its y axis and its lines.
     *
     * @param yLabel the axis label, with the unit
     * @param logY a log scale (else linear from 0)
     */
    public record Panel(String yLabel, boolean logY, List<Line> lines) {
    }

    /**
     * Draws panels one above the other over a shared log-scale x axis, with one legend (the first panel's
     * lines), and writes a PNG.
     *
     * @param width pixels
     * @param height pixels
     */
    public static void write(Path png, int width, int height, String title, String subtitle, String xLabel,
            List<Panel> panels) throws IOException {
        LogAxis x = logAxis(xLabel);
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(x);
        combined.setGap(24); // room for the tick labels at the panels' edges
        XYPlot first = null;
        for (Panel p : panels) {
            XYPlot plot = plot(p);
            combined.add(plot, 1);
            if (first == null) {
                first = plot;
            }
        }
        JFreeChart chart = new JFreeChart(title, TITLE, combined, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(subtitle, SUBTITLE));
        LegendTitle legend = new LegendTitle(first);
        legend.setItemFont(LEGEND);
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setFrame(BlockBorder.NONE);
        legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 12));
        chart.addSubtitle(legend);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
    }

    private static XYPlot plot(Panel p) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int i = 0;
        for (Line line : p.lines()) {
            XYSeries series = new XYSeries(line.name(), false, true);
            for (int k = 0; k < line.xs().length; k++) {
                if (!Double.isNaN(line.ys()[k]) && (!p.logY() || line.ys()[k] > 0)) {
                    series.add(line.xs()[k], line.ys()[k]);
                }
            }
            data.addSeries(series);
            renderer.setSeriesPaint(i, line.colour());
            if (line.dashed()) {
                renderer.setSeriesStroke(i, new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                        new float[] {7f, 5f}, 0f));
                renderer.setSeriesShapesVisible(i, false);
            } else {
                renderer.setSeriesStroke(i, new BasicStroke(2.6f));
                renderer.setSeriesShapesVisible(i, true);
                renderer.setSeriesShape(i, marker(line.name()));
            }
            i++;
        }
        ValueAxis y;
        if (p.logY()) {
            y = logAxis(p.yLabel());
            wholeDecades(y, data);
        } else {
            NumberAxis linear = new NumberAxis(p.yLabel());
            linear.setAutoRangeIncludesZero(true);
            linear.setNumberFormatOverride(new DecimalFormat("#,##0.##"));
            y = linear;
        }
        y.setLabelFont(LABEL);
        y.setTickLabelFont(TICKS);
        XYPlot plot = new XYPlot(data, null, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlinePaint(new Color(0x999999));
        return plot;
    }

    /**
     * Widens a log axis's range to whole powers of ten around the data: a labelled tick at each end, so
     * that even a range within one decade is read off the axis.
     */
    private static void wholeDecades(ValueAxis axis, XYSeriesCollection data) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int s = 0; s < data.getSeriesCount(); s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                double v = data.getYValue(s, i);
                if (v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (max == 0) {
            return;
        }
        double lo = Math.pow(10, Math.floor(Math.log10(min)));
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        axis.setRange(lo, hi > lo ? hi : lo * 10);
    }

    /** A base-10 log axis with a tick at each power of ten, labelled 1, 10, 100, 1,000, ... */
    private static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setMinorTickMarksVisible(true);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(TICKS);
        axis.setSmallestValue(1e-3);
        return axis;
    }
}
