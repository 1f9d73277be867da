package io.circles.ws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.auth.Authenticator;
import io.circles.auth.Nonce;
import io.circles.circle.CircleKeys;
import io.circles.circle.CircleReads;
import io.circles.circle.Membership;
import io.circles.config.CirclesConfig;
import io.circles.dispatch.DispatchConfig;
import io.circles.limits.ConnectionGuards;
import io.circles.dispatch.DispatchException;
import io.circles.dispatch.ErrorPosition;
import io.circles.dispatch.ScriptDispatcher;
import io.circles.dispatch.ScriptTask;
import io.circles.dispatch.TaskResult;
import io.circles.events.ConnectionSubscriptions;
import io.circles.events.LiveSubscriptions;
import io.circles.events.TaskStates;
import io.circles.metrics.CirclesMetrics;
import io.circles.metrics.PlayObserver;
import io.circles.rpc.ErrorCodes;
import io.circles.rpc.OpenRpcDocument;
import io.circles.rpc.RpcException;
import io.circles.rpc.RpcMethod;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * The Circles API of one connection: {@code fetch_nonce}, {@code authenticate}, {@code whoami}, {@code play},
 * {@code task_status}, the read-only {@code store_keys}, {@code store_get}, {@code event_log}, {@code subscribe},
 * {@code unsubscribe} and {@code rpc.discover}. Connection-scoped so that each method sees this
 * connection's {@link ConnectionState} and nothing else.
 */
@SessionScoped
public class CircleRpc {
    /** The caller id of scripts played while authentication is off and nobody authenticated. */
    public static final String ANONYMOUS = "anonymous";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int REMEMBERED_TASKS = 256;

    private final ConnectionState state;
    private final Authenticator authenticator;
    private final ScriptDispatcher dispatcher;
    private final OpenRpcDocument openRpc;
    private final Membership membership;
    private final CirclesConfig config;
    private final DispatchConfig dispatchConfig;
    private final Lifecycle lifecycle;
    private final CircleReads reads;
    private final LiveSubscriptions live;
    private final Map<String, RpcMethod> methods;
    /** This connection's subscriptions, opened at the first {@code subscribe}. */
    private ConnectionSubscriptions subscriptions;
    // field-injected (package-private, no reflection) so the constructor, which tests call with nulls, stays as it is
    @Inject
    CirclesMetrics metrics;
    @Inject
    PlayObserver observer;
    /** Tasks played on this connection, so an anonymous caller can still ask for its own tasks only. */
    private final Deque<String> recentTasks = new ArrayDeque<>();

    public CircleRpc(ConnectionState state, Authenticator authenticator, ScriptDispatcher dispatcher,
            OpenRpcDocument openRpc, Membership membership, CirclesConfig config, DispatchConfig dispatchConfig,
            Lifecycle lifecycle, CircleReads reads, LiveSubscriptions live) {
        this.state = state;
        this.authenticator = authenticator;
        this.dispatcher = dispatcher;
        this.openRpc = openRpc;
        this.membership = membership;
        this.config = config;
        this.dispatchConfig = dispatchConfig;
        this.lifecycle = lifecycle;
        this.reads = reads;
        this.live = live;
        this.methods = Map.ofEntries(
                Map.entry("fetch_nonce", new RpcMethod("fetch_nonce", List.of("pubkey"), 1, this::fetchNonce)),
                Map.entry("authenticate", new RpcMethod("authenticate", List.of("pubkey", "signature", "credentials"), 0, this::authenticate)),
                Map.entry("whoami", new RpcMethod("whoami", List.of(), 0, p -> Uni.createFrom().item(whoami()))),
                Map.entry("play", new RpcMethod("play", List.of("script", "wait"), 1, this::play)),
                Map.entry("subscribe", new RpcMethod("subscribe", List.of("topic", "filter", "since"), 1, this::subscribe)),
                Map.entry("unsubscribe", new RpcMethod("unsubscribe", List.of("subscription"), 1, this::unsubscribe)),
                Map.entry("task_status", new RpcMethod("task_status", List.of("task_id"), 1, this::taskStatus)),
                Map.entry("store_keys", new RpcMethod("store_keys", List.of("prefix", "after", "limit"), 0, this::storeKeys)),
                Map.entry("store_get", new RpcMethod("store_get", List.of("key"), 1, this::storeGet)),
                Map.entry("event_log", new RpcMethod("event_log", List.of("before", "limit"), 0, this::eventLog)),
                Map.entry("rpc.discover", new RpcMethod("rpc.discover", List.of(), 0, p -> Uni.createFrom().item(openRpc.document()))));
    }

    /** The method table, keyed by name. */
    public Map<String, RpcMethod> methods() {
        return methods;
    }

    private Uni<JsonNode> fetchNonce(ObjectNode params) {
        String key = requireKey(params.get("pubkey"));
        Nonce nonce = authenticator.issue(key, state.circle(), state.host());
        state.pendingNonce(nonce);
        ObjectNode result = NODES.objectNode();
        result.put("nonce", nonce.value());
        result.put("expires_at", nonce.expiresAt().getEpochSecond());
        return Uni.createFrom().item(result);
    }

    private Uni<JsonNode> authenticate(ObjectNode params) {
        JsonNode credentials = params.has("credentials") ? params.get("credentials") : params;
        if (!credentials.isObject()) {
            throw RpcException.invalidParams("credentials must be an object {pubkey, signature}");
        }
        JsonNode pubkey = credentials.get("pubkey");
        JsonNode signature = credentials.get("signature");
        if (pubkey == null || signature == null) {
            throw RpcException.invalidParams("Missing parameter: " + (pubkey == null ? "pubkey" : "signature"));
        }
        if (!signature.isTextual()) {
            throw RpcException.invalidParams("signature must be a hex string");
        }
        Nonce pending = state.takeNonce();
        Authenticator.Verdict verdict = authenticator.check(pending, state.circle(), pubkey.isTextual() ? pubkey.asText() : "", signature.asText());
        metrics.authentication(verdict.problem());
        if (verdict.ok() && state.authenticatedKey() == null) {
            metrics.connectionAuthenticated();
        }
        if (!verdict.ok()) {
            throw new RpcException(ErrorCodes.INVALID_CREDENTIALS, "Invalid credentials: " + verdict.problem());
        }
        state.authenticatedKey(verdict.canonicalKey());
        return Uni.createFrom().item(NODES.objectNode().put("authenticated", true));
    }

    private JsonNode whoami() {
        ObjectNode result = NODES.objectNode();
        result.put("circle", state.circle());
        result.put("authenticated", state.authenticatedKey() != null);
        result.put("pubkey", state.authenticatedKey());
        return result;
    }

    private Uni<JsonNode> play(ObjectNode params) {
        String caller = authorisedCaller();
        if (lifecycle.isShuttingDown()) {
            throw new RpcException(ErrorCodes.EXECUTION_ERROR, "Server shutting down: reconnect and play again");
        }
        JsonNode script = params.get("script");
        if (!script.isTextual()) {
            throw RpcException.invalidParams("script must be a string");
        }
        if (script.asText().length() > config.rpc().maxScriptLength()) {
            throw RpcException.invalidParams("script exceeds " + config.rpc().maxScriptLength() + " characters");
        }
        JsonNode wait = params.get("wait");
        if (wait != null && !wait.isNull() && !wait.isBoolean()) {
            throw RpcException.invalidParams("wait must be a boolean");
        }
        if (state.inFlight().incrementAndGet() > dispatchConfig.maxInFlightPerConnection()) {
            state.inFlight().decrementAndGet();
            throw new RpcException(ErrorCodes.TOO_MANY_REQUESTS, "Too many plays in flight on this connection (limit "
                    + dispatchConfig.maxInFlightPerConnection() + ")");
        }
        ScriptTask task = new ScriptTask(state.circle(), caller, script.asText(), dispatchConfig.replyTimeout());
        // Captured now: the session-scoped proxy cannot be used from the Redis reply callback.
        ReleaseOnce release = new ReleaseOnce(state.inFlight());
        TaskStates states = new TaskStates(live.publisher(), task.circle(), caller);
        PlayObserver.Play observed = observer.play(state.traceparent(), state.connectionId(), state.circle(), caller);
        Uni<TaskResult> run = dispatcher.submit(task, observed.traceparent(), taskId -> {
                    remember(taskId);
                    states.queued(taskId);
                })
                .onItemOrFailure().invoke(observed::ended)
                .onTermination().invoke(release::run)
                .onFailure().invoke(states::failed);
        if (wait != null && !wait.asBoolean(true)) {
            return playNoWait(run, states);
        }
        return run.onFailure(DispatchException.class).transform(CircleRpc::toRpcError)
                .map(CircleRpc::playResult);
    }

    /** {@code play} with {@code wait: false}: answers {@code {task_id}} once queued; the end goes to {@code tasks} subscribers. */
    private static Uni<JsonNode> playNoWait(Uni<TaskResult> run, TaskStates states) {
        run.subscribe().with(result -> { }, failure -> { });
        return Uni.createFrom().completionStage(states.queuedId())
                .onFailure(DispatchException.class).transform(CircleRpc::toRpcError)
                .map(taskId -> NODES.objectNode().put("task_id", taskId));
    }

    private Uni<JsonNode> subscribe(ObjectNode params) {
        String caller = authorisedCaller();
        boolean anonymous = state.authenticatedKey() == null;
        ConnectionSubscriptions mine;
        synchronized (this) {
            if (subscriptions == null) {
                WebSocketConnection connection = state.connection();
                // through the connection's guard: notifications count against its outbound bound like replies
                subscriptions = live.open(state.circle(), text -> ConnectionGuards.send(connection, text));
            }
            mine = subscriptions;
        }
        // an anonymous caller (authentication off) sees the tasks played on this connection only
        return mine.subscribe(params, event -> anonymous
                ? rememberedLocked(event.result().path("task_id").asText(""))
                : caller.equals(event.caller()));
    }

    private Uni<JsonNode> unsubscribe(ObjectNode params) {
        JsonNode id = params.get("subscription");
        if (!id.isTextual()) {
            throw RpcException.invalidParams("subscription must be a string");
        }
        ConnectionSubscriptions mine;
        synchronized (this) {
            mine = subscriptions;
        }
        return Uni.createFrom().item(BooleanNode.valueOf(mine != null && mine.unsubscribe(id.asText())));
    }

    /** Subscriptions end with the connection (the session scope ends with it). */
    @PreDestroy
    void endSubscriptions() {
        ConnectionSubscriptions mine;
        synchronized (this) {
            mine = subscriptions;
            subscriptions = null;
        }
        if (mine != null) {
            mine.close();
        }
    }

    private Uni<JsonNode> taskStatus(ObjectNode params) {
        JsonNode id = params.get("task_id");
        if (!id.isTextual()) {
            throw RpcException.invalidParams("task_id must be a string");
        }
        String caller = state.authenticatedKey();
        String circle = state.circle();
        String taskId = id.asText();
        return dispatcher.status(circle, taskId)
                .onFailure(DispatchException.class).transform(CircleRpc::toRpcError)
                .map(result -> {
                    boolean mine = result != null && circle.equals(result.circle())
                            && (caller != null ? caller.equals(result.callerId()) : rememberedLocked(taskId));
                    if (!mine) {
                        throw RpcException.invalidParams("Unknown task: " + taskId);
                    }
                    return statusResult(result);
                });
    }

    private Uni<JsonNode> storeKeys(ObjectNode params) {
        authorisedCaller();
        return reads.storeKeys(state.circle(), optionalText(params, "prefix"), optionalText(params, "after"), pageSize(params))
                .onFailure(e -> !(e instanceof RpcException)).transform(CircleRpc::storeUnavailable);
    }

    private Uni<JsonNode> storeGet(ObjectNode params) {
        authorisedCaller();
        String key = optionalText(params, "key");
        return reads.storeGet(state.circle(), key)
                .onFailure(e -> !(e instanceof RpcException)).transform(CircleRpc::storeUnavailable);
    }

    private Uni<JsonNode> eventLog(ObjectNode params) {
        authorisedCaller();
        return reads.eventLog(state.circle(), optionalText(params, "before"), pageSize(params))
                .onFailure(e -> !(e instanceof RpcException)).transform(CircleRpc::storeUnavailable);
    }

    private int pageSize(ObjectNode params) {
        JsonNode limit = params.get("limit");
        if (limit == null || limit.isNull()) {
            return reads.pageSize(null);
        }
        if (!limit.canConvertToInt() || !limit.isIntegralNumber()) {
            throw RpcException.invalidParams("limit must be an integer");
        }
        return reads.pageSize(limit.asInt());
    }

    private static String optionalText(ObjectNode params, String name) {
        JsonNode value = params.get(name);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw RpcException.invalidParams(name + " must be a string");
        }
        return value.asText();
    }

    /** Redis failures are not the caller's fault and their text may name internal keys: say only what happened. */
    private static RpcException storeUnavailable(Throwable failure) {
        return new RpcException(ErrorCodes.EXECUTION_ERROR, "Circle data unavailable, try again");
    }

    /** The caller id for a play, or an error when this connection may not play. */
    private String authorisedCaller() {
        String key = state.authenticatedKey();
        if (key == null) {
            if (config.auth().enabled()) {
                throw new RpcException(ErrorCodes.AUTHENTICATION_REQUIRED, "Authentication required: call fetch_nonce and authenticate first");
            }
            return ANONYMOUS;
        }
        if (!membership.mayPlay(state.circle(), key)) {
            throw new RpcException(ErrorCodes.FORBIDDEN, "Forbidden: this key is not a member of the circle");
        }
        return key;
    }

    private void remember(String taskId) {
        synchronized (recentTasks) {
            recentTasks.addLast(taskId);
            if (recentTasks.size() > REMEMBERED_TASKS) {
                recentTasks.removeFirst();
            }
        }
    }

    private boolean rememberedLocked(String taskId) {
        synchronized (recentTasks) {
            return recentTasks.contains(taskId);
        }
    }

    private static JsonNode playResult(TaskResult result) {
        if (TaskResult.ERROR.equals(result.status())) {
            ObjectNode data = NODES.objectNode();
            data.put("task_id", result.taskId());
            data.put("error", result.error());
            ErrorPosition.of(result.error()).ifPresent(at -> data.put("line", at.line()).put("column", at.column()));
            data.set("logs", logs(result));
            throw new RpcException(ErrorCodes.EXECUTION_ERROR, "Script error: " + result.error(), data);
        }
        ObjectNode out = NODES.objectNode();
        out.put("output", result.output() == null ? "" : result.output());
        out.set("logs", logs(result));
        out.put("task_id", result.taskId());
        return out;
    }

    private static JsonNode statusResult(TaskResult result) {
        ObjectNode out = NODES.objectNode();
        out.put("task_id", result.taskId());
        out.put("status", result.status());
        out.put("output", result.output());
        out.put("error", result.error());
        out.set("logs", logs(result));
        return out;
    }

    private static ArrayNode logs(TaskResult result) {
        ArrayNode logs = NODES.arrayNode();
        result.logs().forEach(logs::add);
        return logs;
    }

    private static RpcException toRpcError(Throwable failure) {
        DispatchException e = (DispatchException) failure;
        return switch (e.kind()) {
            case TIMEOUT -> new RpcException(ErrorCodes.TIMEOUT, e.getMessage(), NODES.objectNode().put("task_id", e.taskId()));
            case BUSY -> new RpcException(ErrorCodes.TOO_MANY_REQUESTS, e.getMessage());
            case UNAVAILABLE -> new RpcException(ErrorCodes.EXECUTION_ERROR, e.getMessage());
        };
    }

    private static String requireKey(JsonNode node) {
        String key = node != null && node.isTextual() ? CircleKeys.canonicalOrNull(node.asText()) : null;
        if (key == null) {
            throw RpcException.invalidParams("pubkey must be a hex secp256k1 public key (33 or 65 bytes)");
        }
        return key;
    }

    /** Releases one in-flight slot exactly once, whatever way the play ends. */
    private static final class ReleaseOnce implements Runnable {
        private final AtomicInteger inFlight;
        private final AtomicBoolean done = new AtomicBoolean();

        ReleaseOnce(AtomicInteger inFlight) {
            this.inFlight = inFlight;
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        }
    }
}
