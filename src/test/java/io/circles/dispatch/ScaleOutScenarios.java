package io.circles.dispatch;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.Hex;
import io.circles.crypto.KeyPair;
import io.circles.support.AppProcess;
import io.circles.support.RedisServers;
import io.circles.support.TestCircles;
import io.circles.support.Vectors;
import io.circles.support.WsClient;
import io.restassured.http.ContentType;

/**
 * End-to-end scenarios against several real processes of the packaged app sharing one Redis deployment: two
 * servers (no worker) and separate worker processes. Subclasses choose the Redis topology. Processes are
 * started once per class, in parallel.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ScaleOutScenarios {
    static final String CIRCLE_A = TestCircles.CIRCLE_A;
    static final String CIRCLE_B = TestCircles.CIRCLE_B;
    static final String STRIPE_SECRET = Vectors.load("stripe-webhooks.json").get("valid").get(0).get("secret").asText();

    static RedisServers redis;
    static final List<AppProcess> servers = new ArrayList<>();
    static final Map<String, AppProcess> workers = new HashMap<>();

    /** Starts Redis, two servers and {@code workerCount} workers, all at once. */
    static void startAll(RedisServers topology, int workerCount) {
        redis = topology;
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            String name = "server-" + i;
            starting.add(CompletableFuture.runAsync(() -> addServer(name)));
        }
        for (int i = 1; i <= workerCount; i++) {
            String id = "worker-" + i;
            starting.add(CompletableFuture.runAsync(() -> startWorker(id)));
        }
        starting.forEach(CompletableFuture::join);
    }

    private static synchronized void register(AppProcess server) {
        servers.add(server);
    }

    static void addServer(String name) {
        Map<String, String> env = commonEnv();
        env.put("CIRCLES_WORKER_ENABLED", "false");
        env.put("STRIPE_WEBHOOK_SECRET", STRIPE_SECRET);
        env.put("CIRCLES_WEBHOOKS_HANDLERS_DIR", "src/test/resources/handlers");
        register(AppProcess.start(name, List.of(), env));
    }

    static void startWorker(String id) {
        Map<String, String> env = commonEnv();
        env.put("CIRCLES_WORKER_ID", id);
        env.put("CIRCLES_WORKER_MAX_RUN_TIME", "60s");
        AppProcess worker = AppProcess.start(id, List.of("worker"), env);
        synchronized (workers) {
            workers.put(id, worker);
        }
    }

    private static Map<String, String> commonEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", redis.url());
        if (redis.isCluster()) {
            env.put("QUARKUS_REDIS_CLIENT_TYPE", "cluster");
        }
        env.put("CIRCLES_KEYS", CIRCLE_A + "," + CIRCLE_B);
        env.put("CIRCLES_WORKER_HEARTBEAT_INTERVAL", "500ms");
        env.put("CIRCLES_WORKER_HEARTBEAT_TIMEOUT", "3s");
        env.put("CIRCLES_WORKER_REAP_INTERVAL", "1s");
        return env;
    }

    @AfterAll
    static void stopAll() {
        servers.forEach(AppProcess::kill);
        workers.values().forEach(AppProcess::kill);
        servers.clear();
        workers.clear();
        if (redis != null) {
            redis.close();
        }
    }

    static AppProcess server(int index) {
        return servers.get(index);
    }

    static WsClient member(AppProcess server, String circle, KeyPair key) {
        WsClient client = WsClient.connect(server.base(), circle);
        client.authenticate(key);
        return client;
    }

    @Test
    @Order(1)
    void plays_through_either_server_are_answered_by_the_workers() {
        // 15, not more: a connection holds at most 16 plays in flight (circles.dispatch.max-in-flight-per-connection).
        for (AppProcess server : servers) {
            for (String circle : List.of(CIRCLE_A, CIRCLE_B)) {
                try (WsClient client = member(server, circle, KeyPair.generate())) {
                    for (int i = 0; i < 15; i++) {
                        client.sendText(client.request(i, "play", Map.of("script", i + " * 3")));
                    }
                    for (int i = 0; i < 15; i++) {
                        JsonNode answer = client.awaitResponse(i);
                        assertEquals(String.valueOf(i * 3), answer.path("result").path("output").asText(), server + ": " + answer);
                    }
                }
            }
        }
    }

    @Test
    @Order(2)
    void a_store_write_through_one_server_is_read_through_the_other() {
        String key = "k" + UUID.randomUUID().toString().replace("-", "");
        KeyPair member = KeyPair.generate();
        try (WsClient writer = member(server(0), CIRCLE_A, member); WsClient reader = member(server(1), CIRCLE_A, member)) {
            writer.result("play", Map.of("script", "db_set(\"" + key + "\", 41); db_incr(\"" + key + "\")"));
            assertEquals("42", reader.result("play", Map.of("script", "db_get(\"" + key + "\")")).get("output").asText());
        }
    }

    @Test
    @Order(3)
    void a_webhook_delivery_runs_once_whichever_server_receives_it() throws Exception {
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        long amount = 4242 + System.nanoTime() % 1000;
        byte[] body = ("{\"id\":\"" + eventId + "\",\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"amount\":"
                + amount + "}}}").getBytes(StandardCharsets.UTF_8);
        long t = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(STRIPE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "t=" + t + ",v1=" + Hex.encode(mac.doFinal((t + "." + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 2; i++) {
            given().baseUri(server(i).base().toString()).header("Stripe-Signature", signature).contentType(ContentType.JSON)
                    .body(body).post("/webhooks/stripe/" + CIRCLE_B)
                    .then().statusCode(200).body("duplicate", equalTo(i == 1));
        }
        try (WsClient reader = member(server(1), CIRCLE_B, KeyPair.generate())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> String.valueOf(amount)
                    .equals(reader.result("play", Map.of("script", "db_get(\"last_amount\")")).get("output").asText()));
        }
    }

    @Test
    @Order(10)
    void a_worker_killed_mid_task_is_reported_once_as_lost_and_never_run_again() {
        String counter = "runs" + UUID.randomUUID().toString().replace("-", "");
        try (WsClient client = member(server(0), CIRCLE_A, KeyPair.generate())) {
            client.sendText(client.request(1, "play", Map.of("script", "db_incr(\"" + counter + "\"); sleep(30); 0")));
            String[] running = new String[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> !(running[0] = redis.cli(0, "zrange",
                    "rhai_tasks:{" + canonical(CIRCLE_A) + "}:running", "0", "0")).isEmpty());
            String workerId = redis.cli(0, "hget", "rhai_task_details:{" + canonical(CIRCLE_A) + "}:" + running[0], "worker_id");
            AppProcess victim = workers.remove(workerId);
            victim.kill();

            JsonNode lost = client.awaitResponse(1);
            assertEquals(-32000, lost.path("error").path("code").asInt(), lost.toString());
            assertTrue(lost.path("error").path("data").path("error").asText().contains("worker lost"), lost.toString());
            startWorker(workerId + "-replacement");
            assertEquals("error", client.result("task_status", Map.of("task_id", running[0])).get("status").asText());
            assertEquals("1", client.result("play", Map.of("script", "db_get(\"" + counter + "\")")).get("output").asText(),
                    "the task ran once and was not run again");
            assertFalse(client.pending() > 0, "one answer only");
        }
        try (WsClient bystander = member(server(1), CIRCLE_B, KeyPair.generate())) {
            assertEquals("7", bystander.result("play", Map.of("script", "3 + 4")).get("output").asText(),
                    "a member of another circle is served after the worker loss");
        }
    }

    static String canonical(String key) {
        return key.startsWith("0x") ? key.substring(2) : key;
    }
}
