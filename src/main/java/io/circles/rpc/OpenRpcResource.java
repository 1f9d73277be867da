package io.circles.rpc;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code GET /openrpc.json}: the same document {@code rpc.discover} returns. */
@Path("/openrpc.json")
public class OpenRpcResource {
    private final OpenRpcDocument document;

    public OpenRpcResource(OpenRpcDocument document) {
        this.document = document;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonNode get() {
        return document.document();
    }
}
