package io.circles.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A dev-mode live reload hands the running redis-server, and so the circles' data, to the next application start. */
class EmbeddedRedisHandoffTest {
    private EmbeddedRedis redis;

    @AfterEach
    void stop() {
        System.clearProperty(EmbeddedRedis.DEV_HANDOFF);
        if (redis != null) {
            redis.stop();
        }
    }

    /** One RESP command over a plain socket; returns the first reply line. */
    private static String command(String url, String... words) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), URI.create(url).getPort())) {
            StringBuilder request = new StringBuilder("*" + words.length + "\r\n");
            for (String word : words) {
                request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            return first.startsWith("$") && !first.equals("$-1") ? in.readLine() : first;
        }
    }

    @Test
    void a_handed_off_server_is_adopted_with_its_data() throws Exception {
        redis = EmbeddedRedis.start();
        assertEquals("+OK", command(redis.url(), "SET", "circle:data", "kept"));

        redis.handOff();
        assertTrue(redis.isRunning(), "a hand-off leaves the server running");
        EmbeddedRedis adopted = EmbeddedRedis.adoptHandedOff();

        assertEquals(redis.url(), adopted.url());
        assertEquals("kept", command(adopted.url(), "GET", "circle:data"));
        assertNull(System.getProperty(EmbeddedRedis.DEV_HANDOFF), "the hand-off is consumed");
        assertNull(EmbeddedRedis.adoptHandedOff());
        redis = adopted;
    }

    @Test
    void a_dead_or_garbled_hand_off_is_ignored() {
        redis = EmbeddedRedis.start();
        redis.handOff();
        redis.stop();
        assertNull(EmbeddedRedis.adoptHandedOff(), "the server it names is gone");
        System.setProperty(EmbeddedRedis.DEV_HANDOFF, "not a note");
        assertNull(EmbeddedRedis.adoptHandedOff());
    }

    @Test
    void outside_dev_mode_release_stops_the_server() {
        redis = EmbeddedRedis.start();
        redis.release();
        assertFalse(redis.isRunning());
        assertNull(System.getProperty(EmbeddedRedis.DEV_HANDOFF));
    }
}
