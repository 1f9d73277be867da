package io.circles.playground;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The playground page and the API document are served over plain HTTP next to the WebSocket endpoint. */
@QuarkusTest
class PlaygroundTest {

    @Test
    void the_playground_page_is_served_at_the_root() {
        given().get("/").then().statusCode(200).body(containsString("Circles playground")).body(containsString("fetch_nonce"));
    }

    @Test
    void the_openrpc_document_is_served_over_http() {
        given().get("/openrpc.json").then().statusCode(200).body(containsString("\"rpc.discover\""));
    }
}
