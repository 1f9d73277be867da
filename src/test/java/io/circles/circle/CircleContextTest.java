package io.circles.circle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The script context of a circle: identity, store, isolation, limits, init scripts, membership. */
@QuarkusTest
@TestProfile(CircleContextProfile.class)
class CircleContextTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    InitScripts initScripts;

    /** Plays in circle B (no member list) as a fresh key, or in A as the member. */
    private JsonNode play(String circle, KeyPair key, String script) {
        try (WsClient client = WsClient.connect(base, circle)) {
            assertTrue(client.authenticate(key).has("result"));
            return client.call("play", Map.of("script", script));
        }
    }

    private String output(String circle, String script) {
        KeyPair key = circle.equals(TestCircles.CIRCLE_A) ? CircleContextProfile.MEMBER : KeyPair.generate();
        JsonNode response = play(circle, key, script);
        assertTrue(response.has("result"), response.toString());
        return response.get("result").get("output").asText();
    }

    @Test
    void identity_functions_name_the_caller_and_the_circle() {
        KeyPair key = KeyPair.generate();
        JsonNode result = play(TestCircles.CIRCLE_B, key, "caller_pk() + \"|\" + circle_pk()").get("result");
        assertEquals(key.publicKeyCompressed().substring(2) + "|" + TestCircles.CIRCLE_B.substring(2), result.get("output").asText());
    }

    @Test
    void every_json_value_type_round_trips_exactly() {
        String script = """
                let values = #{ i: 42, neg: -7, f: 2.5, s: "héllo", b: true, u: (), a: [1, "two", 3.0, [4]], m: #{ x: 1, y: #{ z: "deep" } } };
                for k in values.keys() { db_set("rt_" + k, values[k]); }
                let out = [];
                for k in values.keys() { let v = db_get("rt_" + k); out.push(k + ":" + type_of(v) + ":" + v.to_debug()); }
                out""";
        String output = output(TestCircles.CIRCLE_B, script);
        assertTrue(output.contains("i:i64:42"), output);
        assertTrue(output.contains("neg:i64:-7"), output);
        assertTrue(output.contains("f:f64:2.5"), output);
        assertTrue(output.contains("s:string:\\\"héllo\\\""), output);
        assertTrue(output.contains("b:bool:true"), output);
        assertTrue(output.contains("u:():()"), output);
        assertTrue(output.contains("a:array:[1, \\\"two\\\", 3.0, [4]]"), output);
        assertTrue(output.contains("m:map:"), output);
        assertEquals("i64", output(TestCircles.CIRCLE_B, "type_of(db_get(\"rt_i\"))"));
        assertEquals("deep", output(TestCircles.CIRCLE_B, "db_get(\"rt_m\").y.z"));
    }

    @Test
    void absent_keys_read_as_unit_and_delete_reports_whether_it_removed() {
        assertEquals("true", output(TestCircles.CIRCLE_B, "db_get(\"never-set\") == ()"));
        assertEquals("true|false", output(TestCircles.CIRCLE_B, "db_set(\"gone\", 1); let a = db_delete(\"gone\"); let b = db_delete(\"gone\"); `${a}|${b}`"));
    }

    @Test
    void keys_are_listed_by_prefix_literally() {
        assertEquals("[\"p*1\", \"p*2\"]", output(TestCircles.CIRCLE_B,
                "db_set(\"p*1\", 1); db_set(\"p*2\", 2); db_set(\"px3\", 3); db_keys(\"p*\").to_debug()").replace("\\", ""));
    }

    @Test
    void circles_cannot_see_each_others_data_whatever_the_key() {
        String secretKeyNames = "[\"secret\", \"../secret\", \"circles:data:" + TestCircles.CIRCLE_B.substring(2) + "\", \"*\", \"\"]";
        output(TestCircles.CIRCLE_A, "for k in " + secretKeyNames + " { db_set(k, \"from A\"); } 1");
        String seenFromB = output(TestCircles.CIRCLE_B, "let seen = []; for k in " + secretKeyNames
                + " { if db_get(k) != () { seen.push(k); } } seen.len()");
        assertEquals("0", seenFromB);
        assertEquals("from A", output(TestCircles.CIRCLE_A, "db_get(\"../secret\")"));
    }

    @Test
    void a_value_over_the_size_limit_is_an_error_and_writes_nothing() {
        JsonNode response = play(TestCircles.CIRCLE_B, KeyPair.generate(), "let s = \"x\"; s.pad(5000, 'x'); db_set(\"big\", s)");
        assertEquals(-32000, response.path("error").path("code").asInt(), response.toString());
        assertTrue(response.path("error").path("data").path("error").asText().contains("exceeds"), response.toString());
        assertEquals("true", output(TestCircles.CIRCLE_B, "db_get(\"big\") == ()"));
    }

    @Test
    void the_key_count_limit_is_an_error_catchable_by_the_script() {
        String output = output(TestCircles.CIRCLE_A, """
                let stored = 0;
                try { for i in 0..100 { db_set("many_" + i, i); stored += 1; } } catch (e) { }
                for i in 0..100 { db_delete("many_" + i); }
                stored""");
        assertTrue(Integer.parseInt(output) < 50, output);
    }

    @Test
    void concurrent_increments_add_up_exactly() {
        List<CompletableFuture<String>> plays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            plays.add(CompletableFuture.supplyAsync(() -> output(TestCircles.CIRCLE_B, "for i in 0..25 { db_incr(\"counter\", 2); } 0")));
        }
        plays.forEach(CompletableFuture::join);
        assertEquals("400", output(TestCircles.CIRCLE_B, "db_get(\"counter\")"));
        JsonNode notInt = play(TestCircles.CIRCLE_B, KeyPair.generate(), "db_set(\"word\", \"x\"); db_incr(\"word\", 1)");
        assertEquals(-32000, notInt.path("error").path("code").asInt());
    }

    @Test
    void events_of_a_circle_without_webhooks_are_empty() {
        assertEquals("0", output(TestCircles.CIRCLE_B, "events(\"stripe\", 5).len()"));
    }

    @Test
    void init_scripts_run_once_and_failures_are_reported_without_stopping_others() {
        await().atMost(Duration.ofSeconds(20)).until(() -> initScripts.outcome(TestCircles.CIRCLE_B.substring(2))
                .filter(o -> !o.equals("running")).isPresent());
        assertTrue(initScripts.outcome(TestCircles.CIRCLE_B.substring(2)).orElseThrow().contains("line 3"),
                initScripts.outcome(TestCircles.CIRCLE_B.substring(2)).toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> initScripts.outcome(TestCircles.CIRCLE_A.substring(2))
                .filter(o -> o.startsWith("ok")).isPresent());
        assertEquals("true", output(TestCircles.CIRCLE_A, "db_get(\"initialised\")"));
    }

    @Test
    void members_and_the_circle_itself_may_play_others_are_forbidden() {
        assertEquals("1", output(TestCircles.CIRCLE_A, "1"));
        JsonNode stranger = play(TestCircles.CIRCLE_A, KeyPair.generate(), "1");
        assertEquals(-32004, stranger.path("error").path("code").asInt(), stranger.toString());
        JsonNode itself = play(TestCircles.CIRCLE_A, TestCircles.CIRCLE_A_KEY, "2");
        assertEquals("2", itself.path("result").path("output").asText(), itself.toString());
    }
}
