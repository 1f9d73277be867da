package io.circles.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON-RPC error answered by the server: its {@link #code()}, message and optional {@link #data()}.
 * For script errors ({@link #EXECUTION_ERROR}) {@code data.error} carries the position and
 * {@code data.logs} what the script printed; for {@link #TIMEOUT} {@code data.task_id} names the task.
 */
public class CircleRpcException extends CircleClientException {
    private static final long serialVersionUID = 1L;

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** Script error (position in {@code data.error}) or dispatcher unavailable. */
    public static final int EXECUTION_ERROR = -32000;
    public static final int AUTHENTICATION_REQUIRED = -32001;
    public static final int INVALID_CREDENTIALS = -32002;
    /** Server-side timeout; {@code data.task_id} names the task, which keeps its result. */
    public static final int TIMEOUT = -32003;
    public static final int FORBIDDEN = -32004;
    public static final int TOO_MANY_REQUESTS = -32005;

    private final int code;
    private final String rpcMessage;
    private final transient JsonNode data;

    public CircleRpcException(int code, String message, JsonNode data) {
        super(message + " (" + code + ")");
        this.code = code;
        this.rpcMessage = message;
        this.data = data == null || data.isNull() || data.isMissingNode() ? null : data;
    }

    /** The JSON-RPC error code. */
    public int code() {
        return code;
    }

    /** The JSON-RPC error message as sent by the server. */
    public String rpcMessage() {
        return rpcMessage;
    }

    /** The error's {@code data}, or {@code null}. */
    public JsonNode data() {
        return data;
    }

    /** {@code data.error} (a script error with its position), or {@code null}. */
    public String dataError() {
        return text("error");
    }

    /** {@code data.task_id}, or {@code null}. */
    public String taskId() {
        return text("task_id");
    }

    private String text(String field) {
        return data != null && data.path(field).isTextual() ? data.get(field).asText() : null;
    }
}
