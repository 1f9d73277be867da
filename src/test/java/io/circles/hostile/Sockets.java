package io.circles.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.CompletionException;

/**
 * Clients an attacker would write: WebSocket upgrades that claim a client address through {@code X-Forwarded-For}
 * (believed because the test server trusts 127.0.0.1 as a proxy), and a raw socket that writes frames by hand and
 * reads nothing unless asked.
 */
final class Sockets {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private Sockets() {
    }

    /** An upgrade's outcome: the open socket (status 101) or the refusal status. */
    record Upgrade(int status, WebSocket socket) {
        void close() {
            if (socket != null) {
                socket.abort();
            }
        }
    }

    static URI ws(URI base, String circle) {
        return URI.create(base.toString().replaceFirst("^http", "ws").replaceAll("/$", "") + "/" + circle);
    }

    static Upgrade upgrade(URI base, String circle, String clientAddress, WebSocket.Listener listener) {
        try {
            WebSocket socket = HTTP.newWebSocketBuilder().header("X-Forwarded-For", clientAddress).connectTimeout(Duration.ofSeconds(20))
                    .buildAsync(ws(base, circle), listener).join();
            return new Upgrade(101, socket);
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return new Upgrade(handshake.getResponse().statusCode(), null);
            }
            throw e;
        }
    }

    /** A hand-made WebSocket connection: upgrade by hand, then masked frames; reading is up to the test. */
    static final class Raw implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final Random random = new Random(7);

        Raw(URI base, String circle, String clientAddress) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.setSoTimeout(20_000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
            String key = Base64.getEncoder().encodeToString(new byte[16]);
            String request = "GET /" + circle + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\nX-Forwarded-For: " + clientAddress + "\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
            }
        }

        private String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed during the upgrade");
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        void sendText(String text) throws IOException {
            sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8), true);
        }

        /** One frame, masked as a client must; {@code opcode} and {@code fin} as given, so broken frames can be sent. */
        void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
            frame.write((fin ? 0x80 : 0) | (opcode & 0x0f));
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else if (payload.length < 65536) {
                frame.write(0x80 | 126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length & 0xff);
            } else {
                frame.write(0x80 | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >>> shift) & 0xff);
                }
            }
            byte[] mask = new byte[4];
            random.nextBytes(mask);
            frame.write(mask, 0, 4);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i % 4]);
            }
            out.write(frame.toByteArray());
        }

        /** Reads the next text frame (server frames are unmasked; control frames are skipped). */
        String readText() throws IOException {
            while (true) {
                int first = readByte();
                int second = readByte();
                long length = second & 0x7f;
                if (length == 126) {
                    length = (readByte() << 8) | readByte();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | readByte();
                    }
                }
                byte[] payload = in.readNBytes((int) length);
                if ((first & 0x0f) == 0x1) {
                    return new String(payload, StandardCharsets.UTF_8);
                }
                if ((first & 0x0f) == 0x8) {
                    throw new IOException("closed by the server");
                }
            }
        }

        private int readByte() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream");
            }
            return b;
        }

        /** fetch_nonce, personal_sign, authenticate, reading each reply. */
        void authenticate(io.circles.crypto.KeyPair key) throws IOException {
            sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"fetch_nonce\",\"params\":{\"pubkey\":\"" + key.publicKeyCompressed() + "\"}}");
            String nonce = io.circles.support.WsClient.parse(readText()).path("result").path("nonce").asText();
            com.fasterxml.jackson.databind.node.ObjectNode request = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    .put("jsonrpc", "2.0").put("id", 2).put("method", "authenticate");
            request.putObject("params").put("pubkey", key.publicKeyCompressed()).put("signature", key.signPersonal(nonce));
            sendText(request.toString());
            String reply = readText();
            if (!reply.contains("\"result\"")) {
                throw new IOException("authentication failed: " + reply);
            }
        }

        void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
        }

        /** Reads until the server ends the connection; true if it did within the socket timeout. */
        boolean drainUntilClosed() {
            byte[] buffer = new byte[65536];
            try {
                while (in.read(buffer) >= 0) {
                    // discard
                }
                return true;
            } catch (IOException e) {
                return !e.getMessage().contains("timed out");
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
