package io.circles.events;

import org.junit.jupiter.api.BeforeAll;

import io.circles.support.RedisServers;

/** The subscription scenarios on a real 3-master Redis Cluster: channels are hash-tagged and sharded (SSUBSCRIBE). */
class SubscriptionsClusterIT extends SubscriptionScenarios {

    @BeforeAll
    static void start() {
        RedisServers.require();
        startAll(RedisServers.cluster());
    }
}
