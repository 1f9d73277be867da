package io.circles.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.circles.support.TestCircles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** wss:// with a certificate generated for the test; the client trusts exactly that certificate. */
@QuarkusTest
@TestProfile(TlsProfile.class)
class TlsTest {

    @Test
    void json_rpc_works_over_wss() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TlsProfile.KEYSTORE)) {
            trust.load(in, TlsProfile.PASSWORD.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);

        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = HttpClient.newBuilder().sslContext(ssl).build().newWebSocketBuilder()
                .buildAsync(URI.create("wss://localhost:" + port + "/" + TestCircles.CIRCLE_A), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                }).get(20, TimeUnit.SECONDS);
        socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\"}", true);
        String response = reply.get(20, TimeUnit.SECONDS);
        assertTrue(response.contains("\"authenticated\":false"), response);
        socket.abort();
    }
}
