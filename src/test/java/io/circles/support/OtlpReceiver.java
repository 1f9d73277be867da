package io.circles.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in OpenTelemetry collector: accepts OTLP/HTTP protobuf trace exports on a random port and keeps the
 * spans' ids and names. The protobuf is read by hand (only the fields we check), so no OTLP library is needed.
 */
public final class OtlpReceiver implements AutoCloseable {
    /** One received span; ids in lower-case hex, {@code parentSpanId} empty for a root span. */
    public record Span(String traceId, String spanId, String parentSpanId, String name) {
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    public OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base endpoint to configure as {@code quarkus.otel.exporter.otlp.traces.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Span> spans() {
        return List.copyOf(spans);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            byte[] request = body.readAllBytes();
            for (byte[] resourceSpans : new Proto(request).all(1)) {
                for (byte[] scopeSpans : new Proto(resourceSpans).all(2)) {
                    for (byte[] span : new Proto(scopeSpans).all(2)) {
                        spans.add(span(new Proto(span)));
                    }
                }
            }
            // An empty ExportTraceServiceResponse: everything accepted.
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static Span span(Proto span) {
        HexFormat hex = HexFormat.of();
        return new Span(hex.formatHex(span.first(1)), hex.formatHex(span.first(2)), hex.formatHex(span.first(4)),
                new String(span.first(5), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The length-delimited fields of one protobuf message (wire format: tag varint, then the value). */
    private static final class Proto {
        private final byte[] bytes;

        Proto(byte[] bytes) {
            this.bytes = bytes;
        }

        byte[] first(int field) {
            List<byte[]> found = all(field);
            return found.isEmpty() ? new byte[0] : found.get(0);
        }

        List<byte[]> all(int field) {
            List<byte[]> found = new ArrayList<>();
            int[] at = {0};
            while (at[0] < bytes.length) {
                long tag = varint(at);
                int wireType = (int) (tag & 7);
                switch (wireType) {
                    case 0 -> varint(at);
                    case 1 -> at[0] += 8;
                    case 5 -> at[0] += 4;
                    case 2 -> {
                        int length = (int) varint(at);
                        if (tag >>> 3 == field) {
                            found.add(Arrays.copyOfRange(bytes, at[0], at[0] + length));
                        }
                        at[0] += length;
                    }
                    default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType);
                }
            }
            return found;
        }

        private long varint(int[] at) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[at[0]++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }
    }
}
