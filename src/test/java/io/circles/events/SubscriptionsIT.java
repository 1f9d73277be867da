package io.circles.events;

import org.junit.jupiter.api.BeforeAll;

import io.circles.support.RedisServers;

/** The subscription scenarios on one standalone Redis (Debian's redis-server: sharded pub/sub). */
class SubscriptionsIT extends SubscriptionScenarios {

    @BeforeAll
    static void start() {
        RedisServers.require();
        startAll(RedisServers.standalone());
    }
}
