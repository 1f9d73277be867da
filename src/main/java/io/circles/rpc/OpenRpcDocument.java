package io.circles.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The API contract, {@code openrpc.json} (top level of the repository, packaged as a resource). */
@Singleton
public class OpenRpcDocument {
    public static final String RESOURCE = "openrpc.json";

    private final JsonNode document;

    public OpenRpcDocument() {
        this.document = load();
    }

    /** The parsed document; callers must not modify it. */
    public JsonNode document() {
        return document;
    }

    static JsonNode load() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application resources");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
