package io.circles.auth;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The authentication scenarios against the packaged application. */
@QuarkusIntegrationTest
class AuthenticationFlowIT extends AuthenticationFlowTest {
}
