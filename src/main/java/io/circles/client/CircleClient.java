package io.circles.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.crypto.KeyPair;

/**
 * A client of one circle of a Circles server: JSON-RPC 2.0 over a WebSocket at {@code ws(s)://host:port/<circle_pk>}.
 *
 * <pre>{@code
 * CircleClient client = CircleClient.builder()
 *         .url("ws://localhost:8080")
 *         .circle("03ab5d…")
 *         .key(KeyPair.fromPrivateKey(hex))
 *         .build();
 * client.connect().join();                       // opens the socket and authenticates (a key was given)
 * PlayResult result = client.play("40 + 2").join();   // output "42"
 * client.close().join();
 * }</pre>
 *
 * <p>Every call returns a {@link CompletableFuture} that completes on a client thread (never on the socket's
 * reader), with the result or with a {@link CircleClientException}: {@link CircleRpcException} for an error
 * answered by the server, {@link CircleTimeoutException} when no answer arrived within the per-call timeout,
 * {@link CircleConnectionException} when the connection could not be opened or dropped while the call was in
 * flight.
 *
 * <p>The connection is kept alive with WebSocket pings; when it drops (server restart, network, a pong that
 * never comes) the client reconnects with exponential backoff and jitter and authenticates again with the same
 * key. Calls issued while reconnecting wait for the new connection (within their timeout). The client is
 * thread-safe. It uses only the JDK's {@link java.net.http.WebSocket} and Jackson, no reflection of its own.
 */
public final class CircleClient {
    /** A circle key as it appears in the path: hex, optional {@code 0x}, 33 or 65 bytes. */
    private static final Pattern KEY = Pattern.compile("(0[xX])?([0-9a-fA-F]{66}|[0-9a-fA-F]{130})");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final URI uri;
    private final KeyPair key;
    private final Duration timeout;
    private final Duration keepAlive;
    private final Duration connectTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final ExecutorService callbacks;
    /** Runs subscription listeners, one notification at a time, in order. */
    private final ExecutorService events;
    private final ClientSubscriptions subscriptions;

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    /** Pongs received over all connections (tests watch the keep-alive with it). */
    final AtomicLong pongs = new AtomicLong();

    private final Object lock = new Object();
    /** The socket in use (possibly still authenticating), or null. Guarded by {@link #lock}. */
    private Session current;
    /** Completes with the session once it is connected and authenticated. Guarded by {@link #lock}. */
    private CompletableFuture<Session> ready;
    private boolean closed;
    private int attempts;

    private CircleClient(Builder builder) {
        this.uri = builder.resolveUri();
        this.key = builder.key;
        this.timeout = builder.timeout;
        this.keepAlive = builder.keepAlive;
        this.connectTimeout = builder.connectTimeout;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        int n = CLIENTS.incrementAndGet();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("circle-client-" + n + "-timer"));
        this.callbacks = Executors.newCachedThreadPool(daemon("circle-client-" + n + "-callback"));
        this.events = Executors.newSingleThreadExecutor(daemon("circle-client-" + n + "-events"));
        this.subscriptions = new ClientSubscriptions((method, params) -> call(method, params, timeout), events);
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (builder.sslContext != null) {
            http.sslContext(builder.sslContext);
        } else if ("ws".equalsIgnoreCase(uri.getScheme())) {
            http.sslContext(PlainOnlyTls.context());
        }
        this.http = http.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The WebSocket address, {@code ws(s)://host:port/<circle_pk>}. */
    public URI uri() {
        return uri;
    }

    /** The key this client authenticates with, or {@code null}. */
    public KeyPair key() {
        return key;
    }

    /**
     * How many connections have been established (and authenticated, when a key is set) so far: 1 after
     * {@link #connect()}, one more after each successful reconnection.
     */
    public long connectionCount() {
        return connections.get();
    }

    /** Whether a connection is established and ready for calls right now. */
    public boolean isConnected() {
        synchronized (lock) {
            return ready != null && ready.isDone() && !ready.isCompletedExceptionally() && !ready.join().dead;
        }
    }

    /**
     * Opens the connection and, when a key is set, authenticates. Completes when calls can be made; fails with
     * a {@link CircleConnectionException} when the server cannot be reached or refuses the upgrade (HTTP 404: the
     * server does not serve this circle), or with a {@link CircleRpcException} when authentication fails. A
     * failed first connection is not retried (call {@code connect()} again); a connection that drops later is.
     * Calling it again while connected does nothing.
     */
    public CompletableFuture<Void> connect() {
        CompletableFuture<Session> started;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            if (ready != null && !ready.isCompletedExceptionally()) {
                return ready.thenApplyAsync(s -> null, this::runCallback);
            }
            started = new CompletableFuture<>();
            ready = started;
        }
        openSession().whenComplete((session, failure) -> {
            synchronized (lock) {
                // Completed under the lock so that dropped() sees either an incomplete or a completed future,
                // never a dead session about to be handed out. Dependents only send (no lock, no blocking).
                if (failure == null && !session.dead && !closed) {
                    connections.incrementAndGet();
                    started.complete(session);
                    return;
                }
            }
            if (session != null) {
                session.socket.abort();
                dropped(session, "connection closed during set-up");
            }
            started.completeExceptionally(failure != null ? unwrap(failure)
                    : closed ? closedException() : new CircleConnectionException("connection to " + uri + " closed during set-up"));
        });
        return started.thenApplyAsync(s -> null, this::runCallback);
    }

    /**
     * Runs the {@code fetch_nonce} → {@code personal_sign} → {@code authenticate} handshake again on the current
     * connection (connecting first if needed; {@link #connect()} already authenticates when a key is set).
     */
    public CompletableFuture<Void> authenticate() {
        if (key == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no key: build the client with key(KeyPair) to authenticate"));
        }
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        withTimeout(result, "authenticate", timeout);
        session().whenComplete((session, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
            } else {
                handshake(session).whenComplete((ok, e) -> {
                    if (e != null) {
                        result.completeExceptionally(unwrap(e));
                    } else {
                        result.complete(ok);
                    }
                });
            }
        });
        return result.thenApply(ok -> null);
    }

    /** Runs a Rhai script in the circle, with the client's default timeout. */
    public CompletableFuture<PlayResult> play(String script) {
        return play(script, timeout);
    }

    /** Runs a Rhai script in the circle with its own client-side timeout. */
    public CompletableFuture<PlayResult> play(String script, Duration callTimeout) {
        Objects.requireNonNull(script, "script");
        return call("play", MAPPER.createObjectNode().put("script", script), callTimeout).thenApply(result -> new PlayResult(
                result.path("output").asText(""), strings(result.path("logs")), textOrNull(result, "task_id")));
    }

    /**
     * Plays a script without waiting for it ({@code play} with {@code wait: false}); completes with the task id as
     * soon as the task is queued. Subscribe to {@code tasks} to be told when it ends, or ask {@link #taskStatus}.
     */
    public CompletableFuture<String> playNoWait(String script) {
        Objects.requireNonNull(script, "script");
        return call("play", MAPPER.createObjectNode().put("script", script).put("wait", false), timeout)
                .thenApply(result -> textOrNull(result, "task_id"));
    }

    /**
     * Subscribes to the circle's live {@code topic}: {@code "events"} (webhook events; {@code filter}
     * {@code {provider, type}}; {@code since} an event-log position to replay after, or null), {@code "store"}
     * (changes of the circle's store; {@code filter} {@code {prefix, with_values}}) or {@code "tasks"} (this
     * caller's own tasks). {@code listener} gets each notification's result; see {@link CircleSubscription}.
     */
    public CompletableFuture<CircleSubscription> subscribe(String topic, ObjectNode filter, String since, Consumer<JsonNode> listener) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(listener, "listener");
        return subscriptions.subscribe(topic, filter, since, listener);
    }

    /** Describes this connection: its circle and the authenticated key. */
    public CompletableFuture<Identity> whoami() {
        return call("whoami", MAPPER.createObjectNode(), timeout).thenApply(result -> new Identity(
                textOrNull(result, "circle"), result.path("authenticated").asBoolean(false), textOrNull(result, "pubkey")));
    }

    /** The status of a task this caller submitted. */
    public CompletableFuture<TaskStatus> taskStatus(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        return call("task_status", MAPPER.createObjectNode().put("task_id", taskId), timeout).thenApply(result -> new TaskStatus(
                textOrNull(result, "task_id"), textOrNull(result, "status"), textOrNull(result, "output"),
                textOrNull(result, "error"), strings(result.path("logs"))));
    }

    /**
     * Any JSON-RPC method, with its params by name; completes with the {@code result} member. Connects first if
     * {@link #connect()} has not been called.
     */
    public CompletableFuture<JsonNode> call(String method, ObjectNode params, Duration callTimeout) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        withTimeout(result, method, callTimeout);
        session().whenComplete((session, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
            } else if (!result.isDone()) {
                send(session, method, params, result);
            }
        });
        return result;
    }

    /**
     * Closes the connection (close frame 1000) and stops reconnecting. Calls still in flight fail with a
     * {@link CircleConnectionException}. Idempotent.
     */
    public CompletableFuture<Void> close() {
        Session session;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            session = current;
            current = null;
            if (ready != null && !ready.isDone()) {
                ready.completeExceptionally(closedException());
            }
        }
        failPending(null, closedException());
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (session == null) {
            done.complete(null);
        } else {
            session.dead = true;
            session.stopKeepAlive();
            session.send(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                    .orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((ok, e) -> {
                        session.socket.abort();
                        done.complete(null);
                    });
        }
        return done.whenComplete((ok, e) -> {
            timer.shutdownNow();
            callbacks.shutdown();
            events.shutdown();
        });
    }

    // ---------------------------------------------------------------- connection management

    /** The ready session, connecting first when nothing was started yet. */
    private CompletableFuture<Session> session() {
        CompletableFuture<Session> r;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(closedException());
            }
            r = ready;
        }
        if (r == null || r.isCompletedExceptionally()) {
            return connect().thenCompose(ok -> {
                synchronized (lock) {
                    return ready;
                }
            });
        }
        return r;
    }

    /** Opens a socket, makes it current and authenticates on it when a key is set. */
    private CompletableFuture<Session> openSession() {
        Session session = new Session();
        return http.newWebSocketBuilder()
                .connectTimeout(connectTimeout)
                .buildAsync(uri, session)
                .handle((socket, failure) -> {
                    if (failure != null) {
                        throw new CompletionException(connectFailure(unwrap(failure)));
                    }
                    synchronized (lock) {
                        if (closed) {
                            socket.abort();
                            throw new CompletionException(closedException());
                        }
                        session.socket = socket;
                        current = session;
                    }
                    session.startKeepAlive();
                    return session;
                })
                .thenCompose(s -> key == null ? CompletableFuture.completedFuture(s) : handshake(s).handle((ok, failure) -> {
                    if (failure != null) {
                        s.socket.abort();
                        dropped(s, "authentication failed");
                        throw new CompletionException(unwrap(failure));
                    }
                    return s;
                }));
    }

    private CompletableFuture<JsonNode> handshake(Session session) {
        String pubkey = key.publicKeyCompressed();
        CompletableFuture<JsonNode> nonce = new CompletableFuture<>();
        withTimeout(nonce, "fetch_nonce", timeout);
        send(session, "fetch_nonce", MAPPER.createObjectNode().put("pubkey", pubkey), nonce);
        return nonce.thenCompose(n -> {
            ObjectNode params = MAPPER.createObjectNode()
                    .put("pubkey", pubkey)
                    .put("signature", key.signPersonal(n.path("nonce").asText()));
            CompletableFuture<JsonNode> auth = new CompletableFuture<>();
            withTimeout(auth, "authenticate", timeout);
            send(session, "authenticate", params, auth);
            return auth;
        }).thenApply(result -> {
            if (!result.path("authenticated").asBoolean(false)) {
                throw new CircleRpcException(CircleRpcException.INVALID_CREDENTIALS, "authenticate did not confirm: " + result, null);
            }
            return result;
        });
    }

    /** A socket ended (closed by the server, failed, or given up by the keep-alive). */
    private void dropped(Session session, String why) {
        boolean reconnect = false;
        synchronized (lock) {
            if (session.dead) {
                return;
            }
            session.dead = true;
            if (current == session) {
                current = null;
                if (!closed && ready != null && ready.isDone() && !ready.isCompletedExceptionally()) {
                    // An established connection dropped: calls from now on wait for the next one.
                    ready = new CompletableFuture<>();
                    reconnect = true;
                }
            }
        }
        session.stopKeepAlive();
        failPending(session, new CircleConnectionException("connection to " + uri + " lost: " + why));
        if (reconnect) {
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        long delay;
        synchronized (lock) {
            if (closed) {
                return;
            }
            delay = backoffMillis(attempts++);
        }
        try {
            timer.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** Exponential backoff (initial × 2^attempt, capped) with "equal jitter": half fixed, half random. */
    long backoffMillis(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(Math.max(base, 1), maxBackoff.toMillis());
        long half = capped / 2;
        return half + ThreadLocalRandom.current().nextLong(capped - half + 1);
    }

    private void reconnect() {
        openSession().whenComplete((session, failure) -> {
            synchronized (lock) {
                if (closed) {
                    if (session != null) {
                        session.socket.abort();
                    }
                    return;
                }
                if (failure == null && !session.dead) {
                    attempts = 0;
                    connections.incrementAndGet();
                    ready.complete(session); // under the lock, see connect()
                }
            }
            if (failure == null && !session.dead) {
                subscriptions.reconnected();
                return;
            }
            if (session != null) {
                session.socket.abort();
                dropped(session, "connection closed during set-up");
            }
            scheduleReconnect();
        });
    }

    // ---------------------------------------------------------------- requests and responses

    private void send(Session session, String method, ObjectNode params, CompletableFuture<JsonNode> result) {
        long id = ids.incrementAndGet();
        ObjectNode request = MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        request.set("params", params);
        String text = request.toString();
        pending.put(id, new Pending(method, session, result));
        result.whenComplete((r, e) -> pending.remove(id));
        if (session.dead) {
            fail(id, new CircleConnectionException("connection to " + uri + " lost before " + method + " was sent"));
            return;
        }
        session.send(s -> s.sendText(text, true)).whenComplete((ok, e) -> {
            if (e != null) {
                fail(id, new CircleConnectionException("connection to " + uri + " lost: could not send " + method + ": "
                        + unwrap(e).getMessage(), unwrap(e)));
            }
        });
    }

    private void fail(long id, Throwable failure) {
        Pending p = pending.remove(id);
        if (p != null) {
            completeLater(p.result, null, failure);
        }
    }

    private void failPending(Session session, Throwable failure) {
        for (Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Long, Pending> entry = it.next();
            Pending p = entry.getValue();
            if (session == null || p.session == session) {
                it.remove();
                completeLater(p.result, null, failure instanceof CircleConnectionException c
                        ? new CircleConnectionException(c.getMessage() + " (while waiting for " + p.method + ")") : failure);
            }
        }
    }

    private void onMessage(String text) {
        JsonNode message;
        try {
            message = MAPPER.readTree(text);
        } catch (Exception e) {
            return; // not JSON: nothing to correlate it with
        }
        if (message.isArray()) {
            message.forEach(this::onResponse);
        } else {
            onResponse(message);
        }
    }

    private void onResponse(JsonNode response) {
        JsonNode id = response.path("id");
        if ("subscription".equals(response.path("method").asText(null)) && !response.has("id")) {
            subscriptions.onNotification(response.path("params"));
            return;
        }
        if (!id.canConvertToLong()) {
            return; // an error about an unparseable request, or a notification
        }
        Pending p = pending.remove(id.asLong());
        if (p == null) {
            return; // timed out already
        }
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            completeLater(p.result, null, new CircleRpcException(error.path("code").asInt(CircleRpcException.INTERNAL_ERROR),
                    error.path("message").asText("error"), error.get("data")));
        } else {
            completeLater(p.result, response.path("result"), null);
        }
    }

    private void runCallback(Runnable task) {
        try {
            callbacks.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    private void completeLater(CompletableFuture<JsonNode> future, JsonNode value, Throwable failure) {
        Runnable complete = () -> {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(value);
            }
        };
        try {
            callbacks.execute(complete);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            complete.run();
        }
    }

    private <T> void withTimeout(CompletableFuture<T> future, String method, Duration callTimeout) {
        if (callTimeout == null || callTimeout.isZero() || callTimeout.isNegative()) {
            return;
        }
        try {
            ScheduledFuture<?> task = timer.schedule(() -> runCallback(
                    () -> future.completeExceptionally(new CircleTimeoutException(method, callTimeout))),
                    callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            future.whenComplete((r, e) -> task.cancel(false));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            future.completeExceptionally(closedException());
        }
    }

    // ---------------------------------------------------------------- helpers

    private CircleConnectionException closedException() {
        return new CircleConnectionException("client for " + uri + " is closed");
    }

    private CircleClientException connectFailure(Throwable failure) {
        if (failure instanceof CircleClientException c) {
            return c;
        }
        if (failure instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            String meaning = switch (status) {
                case 404 -> " (this server does not serve the circle)";
                case 400 -> " (the path is not a circle public key)";
                case 503 -> " (the server is shutting down)";
                default -> "";
            };
            return new CircleConnectionException("could not connect to " + uri + ": HTTP " + status + meaning, h);
        }
        if (untrustedCertificate(failure)) {
            return new CircleConnectionException("could not connect to " + uri
                    + ": the server's TLS certificate is not trusted (not signed by a trusted CA, or self-signed)", failure);
        }
        String detail = failure instanceof java.net.ConnectException
                ? "connection refused (is the server running?)"
                : failure instanceof java.net.http.HttpTimeoutException
                        ? "no answer within " + connectTimeout.toMillis() + " ms"
                        : failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new CircleConnectionException("could not connect to " + uri + ": " + detail, failure);
    }

    /** A PKIX failure: the certificate chain leads to no trusted anchor. */
    private static boolean untrustedCertificate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.security.cert.CertPathValidatorException
                    || (t.getMessage() != null && t.getMessage().contains("PKIX path"))) {
                return true;
            }
        }
        return false;
    }

    /** The cause behind {@code CompletionException}/{@code ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private record Pending(String method, Session session, CompletableFuture<JsonNode> result) {
    }

    /** One WebSocket: its listener, its serialised sends and its keep-alive. */
    private final class Session implements WebSocket.Listener {
        volatile WebSocket socket;
        /** Set under {@link CircleClient#lock} once the socket is gone; read without it as a hint. */
        volatile boolean dead;
        private final StringBuilder partial = new StringBuilder();
        private final Object sendLock = new Object();
        /** The JDK WebSocket allows one outstanding send; each send waits for the previous one. */
        private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
        private volatile long lastHeard = System.nanoTime();
        private ScheduledFuture<?> keepAliveTask;

        CompletableFuture<WebSocket> send(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> op) {
            synchronized (sendLock) {
                CompletableFuture<WebSocket> next = lastSend.handle((ok, e) -> null).thenCompose(ignored -> op.apply(socket));
                lastSend = next;
                return next;
            }
        }

        void startKeepAlive() {
            if (keepAlive == null || keepAlive.isZero() || keepAlive.isNegative()) {
                return;
            }
            long every = keepAlive.toMillis();
            try {
                keepAliveTask = timer.scheduleAtFixedRate(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed meanwhile
            }
        }

        void stopKeepAlive() {
            ScheduledFuture<?> task = keepAliveTask;
            if (task != null) {
                task.cancel(false);
            }
        }

        private void keepAlive() {
            if (dead) {
                stopKeepAlive();
                return;
            }
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeard);
            if (silentMillis > 2 * keepAlive.toMillis() + 1000) {
                socket.abort();
                dropped(this, "no pong for " + silentMillis + " ms");
                return;
            }
            send(s -> s.sendPing(ByteBuffer.wrap(new byte[] {'k', 'a'}))).whenComplete((ok, e) -> {
                if (e != null) {
                    socket.abort();
                    dropped(this, "ping failed: " + unwrap(e).getMessage());
                }
            });
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastHeard = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            lastHeard = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lastHeard = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastHeard = System.nanoTime();
            pongs.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            dropped(this, "closed by the server (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            dropped(this, String.valueOf(unwrap(error).getMessage()));
        }
    }

    /** Configuration of a {@link CircleClient}. Only the URL (and the circle, unless the URL ends with it) is required. */
    public static final class Builder {
        private String url;
        private String circle;
        private KeyPair key;
        private Duration timeout = Duration.ofSeconds(30);
        private Duration keepAlive = Duration.ofSeconds(20);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private SSLContext sslContext;

        private Builder() {
        }

        /**
         * The server: {@code ws://host:port}, {@code wss://host}, or a full {@code ws://host:port/<circle_pk>}
         * ({@code http(s)://} is accepted and mapped to {@code ws(s)://}).
         */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        public Builder url(URI url) {
            return url(url.toString());
        }

        /** The circle's public key (hex, optional {@code 0x}); not needed when the URL ends with it. */
        public Builder circle(String circle) {
            this.circle = circle;
            return this;
        }

        /** The key to authenticate with (none: only methods that need no authentication work). */
        public Builder key(KeyPair key) {
            this.key = key;
            return this;
        }

        /** Default per-call timeout (30 s); zero disables it. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Interval of WebSocket pings (20 s); a connection silent for two intervals is dropped and reopened. Zero disables. */
        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
            return this;
        }

        /** Timeout of the TCP connect and WebSocket upgrade (10 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** Reconnection backoff: first delay (250 ms), doubling up to {@code max} (30 s), with jitter. */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff needs 0 < initial <= max");
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** TLS settings for {@code wss://} (default: the JDK's default trust store). */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        public CircleClient build() {
            return new CircleClient(this);
        }

        URI resolveUri() {
            if (url == null) {
                throw new IllegalArgumentException("url is required");
            }
            String base = url.strip();
            if (base.startsWith("http://")) {
                base = "ws://" + base.substring(7);
            } else if (base.startsWith("https://")) {
                base = "wss://" + base.substring(8);
            }
            if (!base.startsWith("ws://") && !base.startsWith("wss://")) {
                throw new IllegalArgumentException("url must start with ws:// or wss://: " + url);
            }
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            int slash = base.lastIndexOf('/');
            String last = slash > base.indexOf("//") + 1 ? base.substring(slash + 1) : "";
            boolean endsWithKey = KEY.matcher(last).matches();
            if (circle == null || circle.isBlank()) {
                if (!endsWithKey) {
                    throw new IllegalArgumentException("no circle: give circle(pk) or a URL ending with /<circle_pk>: " + url);
                }
            } else {
                String c = circle.strip();
                if (!KEY.matcher(c).matches()) {
                    throw new IllegalArgumentException("circle is not a hex public key (33 or 65 bytes): " + circle);
                }
                if (!(endsWithKey && strip0x(last).equalsIgnoreCase(strip0x(c)))) {
                    base = base + "/" + c;
                }
            }
            try {
                return URI.create(base);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a valid URL: " + url, e);
            }
        }

        private static String strip0x(String key) {
            return key.startsWith("0x") || key.startsWith("0X") ? key.substring(2) : key;
        }
    }
}
