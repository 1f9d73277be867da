package io.circles.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.rpc.ErrorCodes;
import io.circles.rpc.Json;
import io.circles.rpc.JsonRpcProcessor;
import io.circles.rpc.RpcException;
import io.circles.rpc.RpcMethod;
import io.circles.support.WsClient;
import io.smallrye.mutiny.Uni;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing of JSON-RPC framing against the transport-free processor (the server's own limits: depth
 * 64, batches of 100): random text, mutated valid requests, structurally odd requests and deep nesting. Whatever
 * comes in, the answer is nothing (notifications only) or well-formed JSON-RPC, and nothing is thrown. A few thousand
 * cases keep it to seconds; jqwik's database replays any failure first.
 */
class JsonRpcFuzzTest {
    private static final JsonRpcProcessor PROCESSOR = new JsonRpcProcessor(Json.wireMapper(64), 100);
    private static final Map<String, RpcMethod> METHODS = Map.of(
            "echo", new RpcMethod("echo", List.of("value"), 0, params -> Uni.createFrom().item(params.path("value"))),
            "refuse", new RpcMethod("refuse", List.of("why"), 1, params -> {
                throw new RpcException(ErrorCodes.INVALID_PARAMS, "refused");
            }),
            "later", new RpcMethod("later", List.of(), 0, params -> Uni.createFrom().failure(new RpcException(ErrorCodes.TIMEOUT, "late"))));
    private static final List<String> SEEDS = List.of(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"value\":[1,2,{\"a\":null}]}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"refuse\",\"params\":[\"no\"]}",
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"},{\"jsonrpc\":\"2.0\",\"method\":\"echo\"},{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"later\"}]",
            "{\"jsonrpc\":\"2.0\",\"method\":\"later\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1e400,\"method\":\"echo\",\"params\":{\"value\":\"\\ud800\"}}");

    @Property(tries = 2000)
    void any_frame_gets_a_well_formed_answer_or_none(@ForAll("frames") String frame) {
        String answer = PROCESSOR.process(frame, METHODS).await().atMost(Duration.ofSeconds(5));
        if (answer == null) {
            return; // only notifications: nothing is sent
        }
        JsonNode json = WsClient.parse(answer);
        if (json.isArray()) {
            assertTrue(json.size() > 0, answer);
            json.forEach(response -> wellFormed(response, answer));
        } else {
            wellFormed(json, answer);
        }
    }

    private static void wellFormed(JsonNode response, String answer) {
        assertEquals("2.0", response.path("jsonrpc").asText(), answer);
        assertTrue(response.has("id"), answer);
        assertTrue(response.has("result") ^ response.has("error"), answer);
        if (response.has("error")) {
            assertTrue(response.path("error").path("code").isInt(), answer);
            assertTrue(response.path("error").path("message").isTextual(), answer);
        }
    }

    @Provide
    Arbitrary<String> frames() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(200)),
                net.jqwik.api.Tuple.of(4, mutated()),
                net.jqwik.api.Tuple.of(3, structured()),
                net.jqwik.api.Tuple.of(1, nested()));
    }

    private static Arbitrary<String> mutated() {
        Arbitrary<String> seed = Arbitraries.of(SEEDS);
        return Combinators.combine(seed, Arbitraries.integers().between(1, 6), Arbitraries.longs())
                .as((text, edits, salt) -> mutate(text, edits, new java.util.Random(salt)));
    }

    private static String mutate(String text, int edits, java.util.Random random) {
        StringBuilder out = new StringBuilder(text);
        String alphabet = "{}[]\":,\\0123456789.eE+-truefalsnl \u0000\u00e9\ud83d\ude00";
        for (int i = 0; i < edits && out.length() > 0; i++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(4)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                case 2 -> out.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                default -> out.insert(at, out.substring(at, Math.min(out.length(), at + random.nextInt(20))));
            }
        }
        return out.toString();
    }

    private static Arbitrary<String> structured() {
        Arbitrary<String> ids = Arbitraries.of("1", "-0", "1.5", "\"a\"", "null", "true", "[]", "{}", "12345678901234567890123");
        Arbitrary<String> methods = Arbitraries.of("\"echo\"", "\"refuse\"", "\"later\"", "\"nope\"", "1", "null",
                "\"rpc.discover\"", "\"\"");
        Arbitrary<String> params = Arbitraries.of("{}", "[]", "[1,2,3]", "{\"value\":1}", "{\"why\":null}", "{\"x\":1}", "1",
                "\"s\"", "null");
        Arbitrary<String> versions = Arbitraries.of("\"2.0\"", "\"1.0\"", "2.0", "null");
        Arbitrary<String> one = Combinators.combine(versions, ids, methods, params, Arbitraries.integers().between(0, 15))
                .as((v, id, m, p, omit) -> "{" + String.join(",", List.of(
                        (omit & 1) == 0 ? "\"jsonrpc\":" + v : "\"x\":0",
                        (omit & 2) == 0 ? "\"id\":" + id : "\"y\":0",
                        (omit & 4) == 0 ? "\"method\":" + m : "\"z\":0",
                        (omit & 8) == 0 ? "\"params\":" + p : "\"w\":0")) + "}");
        return Arbitraries.oneOf(one, one.list().ofMinSize(0).ofMaxSize(110).map(list -> "[" + String.join(",", list) + "]"));
    }

    private static Arbitrary<String> nested() {
        return Combinators.combine(Arbitraries.integers().between(1, 2000), Arbitraries.of("[", "{\"a\":"))
                .as((depth, open) -> open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(depth));
    }

}
