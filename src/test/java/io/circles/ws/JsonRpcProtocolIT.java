package io.circles.ws;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The JSON-RPC protocol scenarios against the packaged application. */
@QuarkusIntegrationTest
class JsonRpcProtocolIT extends JsonRpcProtocolTest {
}
