package io.circles.rpc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.metrics.CallObserver;
import io.smallrye.mutiny.Uni;

/**
 * JSON-RPC 2.0 framing, independent of the transport: parses a text frame, validates requests, routes them
 * to {@link RpcMethod}s, and renders responses, batches and notifications as the specification says.
 * Every failure becomes an error response; nothing thrown here escapes to the connection.
 */
public final class JsonRpcProcessor {
    private static final Logger LOG = Logger.getLogger(JsonRpcProcessor.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper mapper;
    private final int maxBatchSize;
    private final CallObserver observer;

    public JsonRpcProcessor(ObjectMapper mapper, int maxBatchSize) {
        this(mapper, maxBatchSize, CallObserver.NONE);
    }

    /** @param observer told the method (only names in the method table), outcome and duration of every request */
    public JsonRpcProcessor(ObjectMapper mapper, int maxBatchSize, CallObserver observer) {
        this.mapper = mapper;
        this.maxBatchSize = maxBatchSize;
        this.observer = observer;
    }

    /** Processes one frame; the Uni yields the response text, or {@code null} when nothing is to be sent. */
    public Uni<String> process(String frame, Map<String, RpcMethod> methods) {
        JsonNode parsed;
        try {
            parsed = mapper.readTree(frame);
        } catch (JsonProcessingException | RuntimeException e) {
            observer.called(null, ErrorCodes.PARSE_ERROR, 0);
            return Uni.createFrom().item(render(error(NullNode.instance, ErrorCodes.PARSE_ERROR, "Parse error", null)));
        }
        if (parsed == null || parsed.isMissingNode()) {
            observer.called(null, ErrorCodes.PARSE_ERROR, 0);
            return Uni.createFrom().item(render(error(NullNode.instance, ErrorCodes.PARSE_ERROR, "Parse error", null)));
        }
        if (parsed.isArray()) {
            return processBatch((ArrayNode) parsed, methods);
        }
        return processOne(parsed, methods).map(response -> response == null ? null : render(response));
    }

    private Uni<String> processBatch(ArrayNode batch, Map<String, RpcMethod> methods) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(render(error(NullNode.instance, ErrorCodes.INVALID_REQUEST, "Invalid Request: empty batch", null)));
        }
        if (batch.size() > maxBatchSize) {
            return Uni.createFrom().item(render(error(NullNode.instance, ErrorCodes.INVALID_REQUEST,
                    "Invalid Request: batch of " + batch.size() + " exceeds the limit of " + maxBatchSize, null)));
        }
        List<Uni<ObjectNode>> calls = new ArrayList<>(batch.size());
        for (JsonNode request : batch) {
            calls.add(processOne(request, methods));
        }
        return Uni.join().all(calls).andFailFast().map(responses -> {
            ArrayNode out = NODES.arrayNode();
            responses.stream().filter(r -> r != null).forEach(out::add);
            return out.isEmpty() ? null : render(out);
        });
    }

    /** One request object, observed; yields {@code null} for a notification. */
    private Uni<ObjectNode> processOne(JsonNode request, Map<String, RpcMethod> methods) {
        long start = System.nanoTime();
        JsonNode name = request.path("method");
        // only a name the table implements may become a metric label: the set is fixed in the code
        String known = name.isTextual() && methods.containsKey(name.asText()) ? name.asText() : null;
        boolean notification = request.isObject() && request.get("id") == null && validate(request, null) == null;
        return answer(request, methods)
                .invoke(response -> observer.called(known, codeOf(response), System.nanoTime() - start))
                .map(response -> notification ? null : response);
    }

    private static int codeOf(ObjectNode response) {
        return response.has("error") ? response.path("error").path("code").asInt() : CallObserver.OK;
    }

    private Uni<ObjectNode> answer(JsonNode request, Map<String, RpcMethod> methods) {
        if (!request.isObject()) {
            return Uni.createFrom().item(error(NullNode.instance, ErrorCodes.INVALID_REQUEST, "Invalid Request: not an object", null));
        }
        JsonNode id = request.get("id");
        boolean notification = id == null;
        JsonNode echoId = notification ? NullNode.instance : id;
        String problem = validate(request, id);
        if (problem != null) {
            JsonNode safeId = isValidId(id) ? echoId : NullNode.instance;
            return Uni.createFrom().item(error(safeId, ErrorCodes.INVALID_REQUEST, "Invalid Request: " + problem, null));
        }
        RpcMethod method = methods.get(request.get("method").asText());
        Uni<JsonNode> result;
        if (method == null) {
            result = Uni.createFrom().failure(new RpcException(ErrorCodes.METHOD_NOT_FOUND,
                    "Method not found: " + request.get("method").asText()));
        } else {
            result = invoke(method, request.get("params"));
        }
        return result
                .map(value -> success(echoId, value))
                .onFailure().recoverWithItem(failure -> failureResponse(echoId, failure));
    }

    private static Uni<JsonNode> invoke(RpcMethod method, JsonNode params) {
        try {
            return method.handler().handle(normalise(method, params));
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private static String validate(JsonNode request, JsonNode id) {
        if (!"2.0".equals(request.path("jsonrpc").textValue())) {
            return "\"jsonrpc\" must be \"2.0\"";
        }
        if (!request.path("method").isTextual()) {
            return "\"method\" must be a string";
        }
        if (id != null && !isValidId(id)) {
            return "\"id\" must be a string, a number or null";
        }
        JsonNode params = request.get("params");
        if (params != null && !params.isObject() && !params.isArray()) {
            return "\"params\" must be an object or an array";
        }
        return null;
    }

    private static boolean isValidId(JsonNode id) {
        return id != null && (id.isTextual() || id.isNumber() || id.isNull());
    }

    /** Maps positional or named params onto the method's parameter names, checking arity and names. */
    static ObjectNode normalise(RpcMethod method, JsonNode params) {
        ObjectNode named = NODES.objectNode();
        if (params == null) {
            // no params at all: same as an empty object
        } else if (params.isArray()) {
            if (params.size() > method.params().size()) {
                throw RpcException.invalidParams(method.name() + " takes at most " + method.params().size() + " parameter(s)");
            }
            for (int i = 0; i < params.size(); i++) {
                named.set(method.params().get(i), params.get(i));
            }
        } else {
            Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!method.params().contains(field.getKey())) {
                    throw RpcException.invalidParams("Unknown parameter: " + field.getKey());
                }
                named.set(field.getKey(), field.getValue());
            }
        }
        for (int i = 0; i < method.required(); i++) {
            String name = method.params().get(i);
            if (!named.hasNonNull(name)) {
                throw RpcException.invalidParams("Missing parameter: " + name);
            }
        }
        return named;
    }

    private ObjectNode failureResponse(JsonNode id, Throwable failure) {
        if (failure instanceof RpcException rpc) {
            return error(id, rpc.code(), rpc.getMessage(), rpc.data());
        }
        LOG.error("Unexpected failure in a JSON-RPC method", failure);
        return error(id, ErrorCodes.INTERNAL_ERROR, "Internal error", null);
    }

    private static ObjectNode success(JsonNode id, JsonNode result) {
        ObjectNode response = NODES.objectNode();
        response.put("jsonrpc", "2.0");
        response.set("result", result == null ? NullNode.instance : result);
        response.set("id", id);
        return response;
    }

    /** An error response object. */
    public static ObjectNode error(JsonNode id, int code, String message, JsonNode data) {
        ObjectNode error = NODES.objectNode();
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.set("data", data);
        }
        ObjectNode response = NODES.objectNode();
        response.put("jsonrpc", "2.0");
        response.set("error", error);
        response.set("id", id);
        return response;
    }

    private String render(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a JSON tree", e);
        }
    }
}
