package io.circles.rpc;

/**
 * Every JSON-RPC error code this server sends. {@code openrpc.json} documents the same set; a test fails
 * when the two disagree. The application range (-32000…-32099) keeps the original Circles API's meanings.
 */
public final class ErrorCodes {
    /** Invalid JSON was received. */
    public static final int PARSE_ERROR = -32700;
    /** The JSON is not a valid request object (or the batch is empty or too large). */
    public static final int INVALID_REQUEST = -32600;
    /** The method does not exist. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** Missing, unknown or ill-typed parameters. */
    public static final int INVALID_PARAMS = -32602;
    /** A bug or an unexpected failure on the server side. */
    public static final int INTERNAL_ERROR = -32603;
    /** The script failed (parse or runtime error), or the dispatcher could not run it. */
    public static final int EXECUTION_ERROR = -32000;
    /** The method needs an authenticated connection. */
    public static final int AUTHENTICATION_REQUIRED = -32001;
    /** The signature, key or nonce did not check out. */
    public static final int INVALID_CREDENTIALS = -32002;
    /** The script did not finish in time; it may still finish (see {@code task_status}). */
    public static final int TIMEOUT = -32003;
    /** Authenticated, but not a member of this circle. */
    public static final int FORBIDDEN = -32004;
    /** Too many requests in flight on this connection. */
    public static final int TOO_MANY_REQUESTS = -32005;

    private ErrorCodes() {
    }
}
