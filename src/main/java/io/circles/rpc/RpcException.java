package io.circles.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON-RPC error to send back: code from {@link ErrorCodes}, a message, optional structured data. */
public class RpcException extends RuntimeException {
    private final int code;
    private final transient JsonNode data;

    public RpcException(int code, String message) {
        this(code, message, null);
    }

    public RpcException(int code, String message, JsonNode data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    public int code() {
        return code;
    }

    public JsonNode data() {
        return data;
    }

    public static RpcException invalidParams(String message) {
        return new RpcException(ErrorCodes.INVALID_PARAMS, message);
    }
}
