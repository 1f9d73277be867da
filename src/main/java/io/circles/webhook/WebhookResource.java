package io.circles.webhook;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.circle.CircleKeys;
import io.circles.circle.CircleRegistry;
import io.circles.config.CirclesConfig;
import io.circles.dispatch.DispatchException;
import io.circles.metrics.CirclesMetrics;
import io.circles.metrics.CirclesMetrics.Delivery;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /webhooks/stripe/<circle_pk>} and {@code POST /webhooks/idenfy/<circle_pk>}. The signature is
 * checked against the raw bytes before anything is parsed. Status codes: 200 queued (or duplicate), 400 bad
 * signature/header/body, 404 unknown circle or endpoint disabled (no secret), 413 body too large, 503 Redis
 * unavailable (the provider retries).
 */
@Path("/webhooks")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {
    private static final Logger LOG = Logger.getLogger(WebhookResource.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WebhookConfig config;
    private final CircleRegistry circles;
    private final EventIntake intake;
    private final Clock clock;
    private final boolean serverRole;
    private final CirclesMetrics metrics;

    public WebhookResource(WebhookConfig config, CircleRegistry circles, EventIntake intake, Clock clock, CirclesConfig circlesConfig,
            CirclesMetrics metrics) {
        this.metrics = metrics;
        this.serverRole = circlesConfig.server().enabled();
        this.config = config;
        this.circles = circles;
        this.intake = intake;
        this.clock = clock;
    }

    void logDisabledEndpoints(@Observes StartupEvent event) {
        if (secrets(config.stripe()).isEmpty() && config.stripe().secrets().isEmpty()) {
            LOG.warn("Stripe webhooks disabled: STRIPE_WEBHOOK_SECRET (circles.webhooks.stripe.secret) is not set");
        }
        if (secrets(config.idenfy()).isEmpty() && config.idenfy().secrets().isEmpty()) {
            LOG.warn("iDenfy webhooks disabled: IDENFY_WEBHOOK_SECRET (circles.webhooks.idenfy.secret) is not set");
        }
    }

    @POST
    @Path("/stripe/{circlePk}")
    public Uni<Response> stripe(@PathParam("circlePk") String circlePk, @HeaderParam("Stripe-Signature") String signature, byte[] body) {
        String circle = CircleKeys.canonicalOrNull(circlePk);
        List<String> secrets = secretsFor(config.stripe(), circle);
        Response refused = precheck(circlePk, body, secrets, "stripe");
        if (refused != null) {
            return counted("stripe", Delivery.REJECTED, refused);
        }
        StripeSignature.Verdict verdict = StripeSignature.verify(signature, body, secrets, clock.instant(), config.stripeTolerance());
        if (verdict != StripeSignature.Verdict.VALID) {
            return counted("stripe", verdict == StripeSignature.Verdict.STALE ? Delivery.STALE : Delivery.BAD_SIGNATURE,
                    error(400, "invalid Stripe-Signature: " + verdict.name().toLowerCase().replace('_', ' ')));
        }
        JsonNode json = parse(body);
        StripeEvent event;
        try {
            event = StripeEvent.from(json);
        } catch (IllegalArgumentException e) {
            return counted("stripe", Delivery.REJECTED, error(400, e.getMessage()));
        }
        return accept(circle, event.toEvent(json), sharedSecret(config.stripe(), circle));
    }

    @POST
    @Path("/idenfy/{circlePk}")
    public Uni<Response> idenfy(@PathParam("circlePk") String circlePk, @HeaderParam("Idenfy-Signature") String signature, byte[] body) {
        String circle = CircleKeys.canonicalOrNull(circlePk);
        List<String> secrets = secretsFor(config.idenfy(), circle);
        Response refused = precheck(circlePk, body, secrets, "idenfy");
        if (refused != null) {
            return counted("idenfy", Delivery.REJECTED, refused);
        }
        if (secrets.stream().noneMatch(secret -> IdenfySignature.verify(signature, body, secret))) {
            return counted("idenfy", Delivery.BAD_SIGNATURE, error(400, "invalid Idenfy-Signature"));
        }
        JsonNode json = parse(body);
        IdenfyCallback callback;
        try {
            callback = IdenfyCallback.from(json);
        } catch (IllegalArgumentException e) {
            return counted("idenfy", Delivery.REJECTED, error(400, e.getMessage()));
        }
        if (tooOld(json)) {
            return Uni.createFrom().item(error(400, "iDenfy callback is older than " + config.idenfyMaxAge().toHours() + "h"));
        }
        return accept(circle, callback.toEvent(json), sharedSecret(config.idenfy(), circle));
    }

    /** A callback whose own time (finishTime, else startTime, in epoch seconds) is older than the accepted age. */
    private boolean tooOld(JsonNode json) {
        JsonNode time = json.path("finishTime").isNumber() ? json.path("finishTime") : json.path("startTime");
        return time.isNumber() && time.asLong() < clock.instant().minus(config.idenfyMaxAge()).getEpochSecond();
    }

    /** Checks that need no signature: circle served, endpoint enabled, size. */
    private Response precheck(String circlePk, byte[] body, List<String> secrets, String provider) {
        if (!serverRole) {
            return error(503, "this process runs the worker role only");
        }
        String circle = CircleKeys.canonicalOrNull(circlePk);
        if (circle == null || !circles.serves(circle)) {
            return error(404, "unknown circle");
        }
        if (secrets.isEmpty()) {
            return error(404, provider + " webhooks are disabled on this server (no signing secret configured)");
        }
        if (body == null || body.length > config.maxBodyBytes()) {
            return error(body == null ? 400 : 413, body == null ? "empty body" : "body exceeds " + config.maxBodyBytes() + " bytes");
        }
        return null;
    }

    private Uni<Response> accept(String circle, WebhookEvent event, boolean sharedSecret) {
        return intake.accept(circle, event, sharedSecret)
                .map(receipt -> {
                    metrics.webhookDelivery(event.provider(), receipt.duplicate() ? Delivery.DUPLICATE : Delivery.ACCEPTED);
                    ObjectNode out = MAPPER.createObjectNode();
                    out.put("event_id", receipt.eventId());
                    out.put("task_id", receipt.taskId());
                    out.put("duplicate", receipt.duplicate());
                    return Response.ok(out).build();
                })
                .onFailure(DispatchException.class).recoverWithItem(failure -> {
                    metrics.webhookDelivery(event.provider(), Delivery.UNAVAILABLE);
                    LOG.warnf("Webhook %s for circle %s not queued: %s", event.provider(), circle, failure.getMessage());
                    return error(503, "temporarily unable to queue the event; retry later");
                });
    }

    private Uni<Response> counted(String provider, Delivery outcome, Response response) {
        metrics.webhookDelivery(provider, outcome);
        return Uni.createFrom().item(response);
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            return json != null && json.isObject() ? json : MAPPER.createObjectNode();
        } catch (Exception e) {
            return MAPPER.createObjectNode();
        }
    }

    private static List<String> secrets(WebhookConfig.Provider provider) {
        return provider.secret().map(WebhookResource::split).orElse(List.of());
    }

    /** The circle's own secrets when it has some, else the global ones. */
    private static List<String> secretsFor(WebhookConfig.Provider provider, String circle) {
        String own = ownSecret(provider, circle);
        return own != null ? split(own) : secrets(provider);
    }

    /** Whether the circle verifies with the secret shared by every circle (so its event ids are claimed globally). */
    private static boolean sharedSecret(WebhookConfig.Provider provider, String circle) {
        return ownSecret(provider, circle) == null;
    }

    private static String ownSecret(WebhookConfig.Provider provider, String circle) {
        if (circle == null) {
            return null;
        }
        return provider.secrets().entrySet().stream()
                .filter(entry -> circle.equals(CircleKeys.canonicalOrNull(entry.getKey().replace("\"", ""))))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static List<String> split(String secrets) {
        return Arrays.stream(secrets.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private static Response error(int status, String message) {
        return Response.status(status).entity(MAPPER.createObjectNode().put("error", message)).type(MediaType.APPLICATION_JSON).build();
    }
}
