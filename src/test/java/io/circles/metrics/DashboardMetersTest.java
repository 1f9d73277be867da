package io.circles.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Grafana dashboard, the alert rules and the KEDA triggers query only meters the app exports
 * ({@link CirclesMetrics#PROMETHEUS_NAMES}, which {@code MetricsAfterScriptedRunTest} finds at {@code /q/metrics}).
 */
class DashboardMetersTest {
    private static final Path MONITORING = Path.of("deploy/monitoring");
    private static final Pattern METER = Pattern.compile("\\bcircles_[a-z0-9_]+");
    private static final List<String> SERIES_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

    @Test
    void every_dashboard_query_names_existing_meters_only() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("circles-dashboard.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        assertFalse(queries.isEmpty());
        Set<String> used = checkQueries("dashboard", queries);
        // the panels an operator needs first (issue 15)
        for (String needed : List.of("circles_connections_open", "circles_rpc_calls_total", "circles_play_latency_seconds",
                "circles_queue_ready_circles", "circles_worker_threads_busy", "circles_webhook_deliveries_total",
                "circles_task_queue_wait_seconds", "circles_task_run_seconds", "circles_redis_commands_seconds")) {
            assertTrue(used.contains(needed), "the dashboard has no panel on " + needed);
        }
    }

    @Test
    void every_alert_rule_names_existing_meters_and_has_a_severity() throws IOException {
        JsonNode rules = new YAMLMapper().readTree(MONITORING.resolve("alerts.yaml").toFile());
        List<String> queries = new ArrayList<>();
        Set<String> alerts = new TreeSet<>();
        rules.path("spec").path("groups").forEach(group -> group.path("rules").forEach(rule -> {
            queries.add(rule.path("expr").asText());
            alerts.add(rule.path("alert").asText());
            assertTrue(Set.of("warning", "critical").contains(rule.path("labels").path("severity").asText()), rule.toString());
        }));
        checkQueries("alerts", queries);
        assertTrue(alerts.containsAll(Set.of("CirclesQueueNotDraining", "CirclesWorkersSaturated", "CirclesRpcErrorRate",
                "CirclesRedisUnavailable")), alerts.toString());
    }

    @Test
    void keda_scales_the_workers_on_existing_meters() throws IOException {
        JsonNode scaled = new YAMLMapper().readTree(Path.of("deploy/worker/keda-scaledobject.yaml").toFile());
        List<String> queries = new ArrayList<>();
        scaled.path("spec").path("triggers").forEach(trigger -> {
            assertEquals("prometheus", trigger.path("type").asText());
            queries.add(trigger.path("metadata").path("query").asText());
        });
        assertTrue(checkQueries("keda", queries).contains("circles_queue_ready_circles"));
        assertFalse(Files.readString(Path.of("deploy/worker/keda-scaledobject.yaml")).contains("REPLACE"));
    }

    @Test
    void operations_guide_documents_every_meter() throws IOException {
        String guide = Files.readString(Path.of("docs/OPERATIONS.md"));
        for (String name : CirclesMetrics.PROMETHEUS_NAMES) {
            assertTrue(guide.contains("`" + name + "`"), "docs/OPERATIONS.md does not document " + name);
        }
    }

    @Test
    void the_check_itself_rejects_a_meter_that_does_not_exist() {
        assertFalse(exists("circles_tasks_queued"), "a counter is only exported with _total");
        assertFalse(exists("circles_queue_depth"));
        assertTrue(exists("circles_play_latency_seconds_bucket"));
        assertTrue(exists("circles_tasks_queued_total"));
    }

    /** Checks every meter each query names; returns the meters used (as listed in PROMETHEUS_NAMES). */
    private static Set<String> checkQueries(String where, List<String> queries) {
        Set<String> used = new TreeSet<>();
        for (String query : queries) {
            Matcher m = METER.matcher(query);
            boolean any = false;
            while (m.find()) {
                any = true;
                assertTrue(exists(m.group()), where + ": " + m.group() + " is not a meter the app exports (in: " + query + ")");
                used.add(listed(m.group()));
            }
            assertTrue(any, where + ": query names no circles_ meter: " + query);
        }
        return used;
    }

    private static boolean exists(String series) {
        return listed(series) != null;
    }

    private static String listed(String series) {
        if (CirclesMetrics.PROMETHEUS_NAMES.contains(series)) {
            return series;
        }
        for (String suffix : SERIES_SUFFIXES) {
            String base = series.endsWith(suffix) ? series.substring(0, series.length() - suffix.length()) : null;
            if (base != null && CirclesMetrics.PROMETHEUS_NAMES.contains(base) && !base.endsWith("_total")) {
                return base;
            }
        }
        return null;
    }
}
