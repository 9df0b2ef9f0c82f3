package dev.rolebridge.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import net.minidev.json.JSONValue;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws README's chart of login cost against group count from JMH's JSON results ({@code -rf json}): one line
 * per benchmark method and combination of parameters other than {@code groups}, the {@code groups} parameter
 * along the x axis, the score in milliseconds per operation up the y axis (both logarithmic). Arguments: the PNG
 * to write, a title, then one or more JSON result files.
 */
public final class LoginCostChart {

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: LoginCostChart <out.png> <title> <jmh-result.json>...");
        }
        Map<String, XYSeries> series = new TreeMap<>();
        for (int i = 2; i < args.length; i++) {
            JSONArray results = (JSONArray) JSONValue.parse(Files.readString(Path.of(args[i]), StandardCharsets.UTF_8));
            for (Object each : results) {
                add(series, (JSONObject) each);
            }
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException(
                    "no result with a groups parameter in " + List.of(args).subList(2, args.length));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(
                args[1],
                "groups of the user",
                "milliseconds per login",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        XYPlot plot = chart.getXYPlot();
        LogAxis groups = new LogAxis("groups of the user");
        groups.setBase(10);
        groups.setTickUnit(new NumberTickUnit(1));
        groups.setNumberFormatOverride(java.text.NumberFormat.getIntegerInstance(Locale.ROOT));
        plot.setDomainAxis(groups);
        LogAxis millis = new LogAxis("milliseconds per login");
        millis.setBase(10);
        millis.setSmallestValue(0.001);
        millis.setTickUnit(new NumberTickUnit(1)); // a label each power of ten, unlabelled marks between
        millis.setMinorTickCount(9);
        millis.setMinorTickMarksVisible(true);
        millis.setNumberFormatOverride(
                new java.text.DecimalFormat("0.###", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)));
        plot.setRangeAxis(millis);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        chart.setBackgroundPaint(Color.WHITE);
        Path out = Path.of(args[0]);
        ChartUtils.saveChartAsPNG(out.toFile(), chart, 900, 560);
        System.out.println("wrote " + out.toAbsolutePath() + " with " + data.getSeriesCount() + " lines");
    }

    private static void add(Map<String, XYSeries> series, JSONObject result) {
        JSONObject params = (JSONObject) result.get("params");
        if (params == null || !params.containsKey("groups")) {
            return;
        }
        String benchmark = (String) result.get("benchmark");
        List<String> others = new ArrayList<>();
        new TreeMap<>(params).forEach((name, value) -> {
            if (!"groups".equals(name)) {
                others.add(String.valueOf(value));
            }
        });
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String label = others.isEmpty() ? method : method + " (" + String.join(", ", others) + ")";
        JSONObject metric = (JSONObject) result.get("primaryMetric");
        double score = ((Number) metric.get("score")).doubleValue();
        double millis = score * toMillis((String) metric.get("scoreUnit"));
        double groups = Double.parseDouble(String.valueOf(params.get("groups")));
        series.computeIfAbsent(label, XYSeries::new).add(groups, millis);
    }

    private static double toMillis(String unit) {
        return switch (unit) {
            case "ns/op" -> 1e-6;
            case "us/op" -> 1e-3;
            case "ms/op" -> 1;
            case "s/op" -> 1e3;
            default -> throw new IllegalArgumentException("not a time per operation: " + unit);
        };
    }

    private LoginCostChart() {}
}
