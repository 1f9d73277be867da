package io.circles.metrics;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One reading of {@code /q/metrics} in the Prometheus text format: series (name and labels) and values. */
final class Scrape {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_max", "_total", "_created");

    record Series(String name, Map<String, String> labels, double value) {
    }

    final List<Series> series = new ArrayList<>();
    final String text;

    private Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
    }

    static Scrape of(URI base) {
        return new Scrape(given().baseUri(base.toString()).get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The sum over series named {@code name} whose labels include {@code labels} (key, value, key, value…). */
    double value(String name, String... labels) {
        double sum = 0;
        for (Series s : series) {
            if (s.name().equals(name) && matches(s.labels(), labels)) {
                sum += s.value();
            }
        }
        return sum;
    }

    private static boolean matches(Map<String, String> have, String[] want) {
        for (int i = 0; i + 1 < want.length; i += 2) {
            if (!want[i + 1].equals(have.get(want[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Whether some series belongs to the meter {@code base} (the name itself or with a Prometheus suffix). */
    boolean has(String base) {
        return series.stream().anyMatch(s -> baseName(s.name()).equals(base) || s.name().equals(base));
    }

    /** A series name without its Prometheus suffix. */
    static String baseName(String name) {
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && !name.equals(suffix)) {
                String stripped = name.substring(0, name.length() - suffix.length());
                // counters keep their _total: they are listed with it
                return suffix.equals("_total") ? name : stripped;
            }
        }
        return name;
    }
}
