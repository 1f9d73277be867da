package io.circles.web;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.circles.circle.CircleKeys;
import io.circles.ws.CircleUpgradeCheck;

/**
 * {@code GET /api/circles/<pk>/status}: whether a WebSocket upgrade to {@code /<pk>} would be accepted now and,
 * if not, why. A browser cannot read the status of a refused upgrade (it only sees close code 1006), so the web
 * app asks here. It answers exactly what the upgrade itself would reveal (the same {@link CircleUpgradeCheck}
 * decides) and nothing more: no list of circles, no member data.
 */
@Path("/api/circles/{pk}/status")
public class CircleStatusResource {
    private static final Map<Integer, String> REASONS = Map.of(
            400, "not a secp256k1 public key (hex, 33 or 65 bytes)",
            404, "this server does not serve that circle",
            503, "the server is shutting down or does not accept connections; try again shortly");

    private final CircleUpgradeCheck upgradeCheck;

    public CircleStatusResource(CircleUpgradeCheck upgradeCheck) {
        this.upgradeCheck = upgradeCheck;
    }

    /** Always 200: the verdict is in the body, {@code {circle, accepting, status, reason}}. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public CircleStatus status(@PathParam("pk") String pk) {
        int refusal = upgradeCheck.refusal(pk);
        String circle = CircleKeys.canonicalOrNull(pk);
        if (refusal == 0) {
            return new CircleStatus(circle, true, 101, "accepting connections");
        }
        return new CircleStatus(circle, false, refusal, REASONS.get(refusal));
    }

    /**
     * @param circle    the canonical key, or null when the path is not a key
     * @param accepting whether an upgrade would be accepted now
     * @param status    the HTTP status the upgrade would get (101 = switching protocols)
     * @param reason    the refusal in words
     */
    public record CircleStatus(String circle, boolean accepting, int status, String reason) {
    }
}
