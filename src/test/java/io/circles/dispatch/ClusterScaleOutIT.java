package io.circles.dispatch;

import org.junit.jupiter.api.BeforeAll;

import io.circles.support.RedisServers;

/** The end-to-end scenarios on a real three-master Redis Cluster, with two servers and one separate worker. */
class ClusterScaleOutIT extends ScaleOutScenarios {

    @BeforeAll
    static void start() {
        RedisServers.require();
        startAll(RedisServers.cluster(), 1);
    }
}
