package io.circles.playground;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The web app and the API document are served over plain HTTP next to the WebSocket endpoint. */
@QuarkusTest
class PlaygroundTest {

    @Test
    void the_web_app_is_served_at_the_root_with_its_bundle_and_icon() {
        given().get("/").then().statusCode(200).body(containsString("Generate key")).body(containsString("/static/bundle/app-"));
        given().get("/favicon.svg").then().statusCode(200);
    }

    @Test
    void the_openrpc_document_is_served_over_http() {
        given().get("/openrpc.json").then().statusCode(200).body(containsString("\"rpc.discover\""));
    }
}
