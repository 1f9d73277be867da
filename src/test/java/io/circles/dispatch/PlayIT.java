package io.circles.dispatch;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** play end to end against the packaged application (its own embedded Redis and worker). */
@QuarkusIntegrationTest
class PlayIT extends PlayTest {
}
