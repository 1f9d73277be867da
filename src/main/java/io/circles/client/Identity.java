package io.circles.client;

/**
 * The answer to {@code whoami}: the canonical circle key of the connection, whether it is authenticated,
 * and the canonical authenticated key (or {@code null}).
 */
public record Identity(String circle, boolean authenticated, String pubkey) {
}
