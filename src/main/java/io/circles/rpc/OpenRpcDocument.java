package io.circles.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.LaunchMode;

/**
 * The API contract, {@code openrpc.json} (top level of the repository, packaged as a resource). In dev mode
 * the top-level file itself is served and re-read when it changes, so edits show up without a restart.
 */
@Singleton
public class OpenRpcDocument {
    public static final String RESOURCE = "openrpc.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final boolean live = LaunchMode.current() == LaunchMode.DEVELOPMENT && Files.isRegularFile(Path.of(RESOURCE));
    private volatile JsonNode document;
    private volatile FileTime loadedAt;

    public OpenRpcDocument() {
        this.document = live ? readFile() : readResource();
    }

    /** The parsed document; callers must not modify it. */
    public JsonNode document() {
        if (live) {
            refreshIfChanged();
        }
        return document;
    }

    private synchronized void refreshIfChanged() {
        try {
            FileTime modified = Files.getLastModifiedTime(Path.of(RESOURCE));
            if (!modified.equals(loadedAt)) {
                document = readFile();
            }
        } catch (IOException | RuntimeException e) {
            // keep serving the last good document while the file is being edited
        }
    }

    private JsonNode readFile() {
        try {
            loadedAt = Files.getLastModifiedTime(Path.of(RESOURCE));
            return MAPPER.readTree(Path.of(RESOURCE).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readResource() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application resources");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
