package io.circles.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * 1,000 random frames over real sockets (25 connections of 40): mutated JSON-RPC text, random text and binary,
 * invalid UTF-8, unknown opcodes, unfinished fragments, oversized control frames. Each connection, asked one last
 * question, is either answered or closed by the server (never left hanging); every connection that sent only
 * well-formed frames (whatever their text) is answered, and the server keeps serving others.
 * The seed is fixed so a failure replays.
 */
@QuarkusTest
@TestProfile(HostileProfile.class)
class SocketFuzzTest {
    private static final int CONNECTIONS = 25;
    private static final int FRAMES = 40;
    private static final List<String> SEEDS = List.of(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"rpc.discover\"}",
            "[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"whoami\"},{\"jsonrpc\":\"2.0\",\"method\":\"whoami\"}]",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"play\",\"params\":{\"script\":\"1\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"task_status\",\"params\":[\"x\"]}");

    @TestHTTPResource("/")
    URI base;

    @Test
    void random_frames_over_a_real_socket_leave_the_server_answering() throws IOException {
        Random random = new Random(20261202);
        int answered = 0;
        int wellFramed = 0;
        for (int c = 0; c < CONNECTIONS; c++) {
            boolean textOnly = c % 2 == 0; // valid frames with fuzzed content: these must stay usable
            wellFramed += textOnly ? 1 : 0;
            try (Sockets.Raw socket = new Sockets.Raw(base, TestCircles.CIRCLE_A, "198.18.0." + c)) {
                try {
                    for (int f = 0; f < FRAMES; f++) {
                        sendRandomFrame(socket, random, textOnly);
                    }
                    socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":\"last\",\"method\":\"whoami\"}");
                    answered += awaitLast(socket) ? 1 : 0;
                } catch (IOException closedByServer) {
                    // the server may close on a protocol error: an answer too
                }
            }
        }
        assertTrue(answered >= wellFramed, "every connection sending well-formed frames stayed usable: " + answered);
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            assertTrue(client.result("whoami", null).has("authenticated"));
        }
        Member.isUnaffected(base);
    }

    /** Reads until the reply to "last" (true) or the server's close (false). */
    private static boolean awaitLast(Sockets.Raw socket) {
        try {
            while (true) {
                String text = socket.readText();
                if (text.contains("\"last\"")) {
                    return true;
                }
            }
        } catch (IOException closed) {
            return false;
        }
    }

    private static void sendRandomFrame(Sockets.Raw socket, Random random, boolean textOnly) throws IOException {
        switch (random.nextInt(textOnly ? 5 : 10)) {
            case 0, 1, 2, 3 -> socket.sendText(mutate(SEEDS.get(random.nextInt(SEEDS.size())), random));
            case 4 -> socket.sendText(randomText(random));
            case 5 -> socket.sendFrame(0x2, randomBytes(random, 64), true);
            case 6 -> socket.sendFrame(0x1, randomBytes(random, 32), true); // usually invalid UTF-8: close 1007
            case 7 -> socket.sendFrame(0x3 + random.nextInt(5), randomBytes(random, 8), true); // reserved opcode
            case 8 -> socket.sendFrame(0x1, "{\"jsonrpc\":".getBytes(StandardCharsets.UTF_8), false); // unfinished
            default -> socket.sendFrame(0x9, randomBytes(random, 200), true); // ping over 125 bytes
        }
    }

    private static String mutate(String text, Random random) {
        StringBuilder out = new StringBuilder(text);
        for (int i = random.nextInt(4); i > 0 && out.length() > 0; i--) {
            int at = random.nextInt(out.length());
            if (random.nextBoolean()) {
                out.deleteCharAt(at);
            } else {
                out.insert(at, "{}[]\":,0\\".charAt(random.nextInt(9)));
            }
        }
        return out.toString();
    }

    private static String randomText(Random random) {
        StringBuilder out = new StringBuilder();
        for (int i = random.nextInt(100); i > 0; i--) {
            out.appendCodePoint(random.nextInt(0x2FFF) + 1);
        }
        return out.toString();
    }

    private static byte[] randomBytes(Random random, int max) {
        byte[] bytes = new byte[random.nextInt(max) + 1];
        random.nextBytes(bytes);
        return bytes;
    }
}
