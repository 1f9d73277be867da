package io.circles.rpc;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/**
 * One method of the API. Parameters arrive normalised to an object keyed by {@link #params()} names,
 * whether the client sent them by name or by position.
 *
 * @param name     the method name
 * @param params   parameter names in positional order
 * @param required how many leading parameters are mandatory
 * @param handler  the implementation; fail the Uni with {@link RpcException} for an API error
 */
public record RpcMethod(String name, List<String> params, int required, Handler handler) {

    @FunctionalInterface
    public interface Handler {
        Uni<JsonNode> handle(ObjectNode params);
    }
}
