package io.circles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.tls.TlsProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code play} over wss:// to a server with a self-signed certificate: refused, trusted with --cacert. */
@QuarkusTest
@TestProfile(TlsProfile.class)
class ClientTlsTest {
    @TempDir
    Path dir;

    private String url;
    private String key;

    @BeforeEach
    void setUp() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        url = "wss://localhost:" + port + "/" + TestCircles.CIRCLE_A;
        key = KeyPair.generate().privateKeyHex();
    }

    /** The server's certificate as PEM, as an operator would hand it to clients. */
    private Path serverCertificatePem() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TlsProfile.KEYSTORE)) {
            store.load(in, TlsProfile.PASSWORD.toCharArray());
        }
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(store.getCertificate("server").getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(dir.resolve("server.pem"), pem);
    }

    @Test
    void an_untrusted_certificate_is_explained_in_one_line_with_the_way_out() {
        CliRun run = CliRun.withInput("1", "play", "--url", url, "--key", key);
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().startsWith("error: could not connect to " + url + ": the server's TLS certificate is not trusted"), run.err());
        assertTrue(run.err().contains("--cacert FILE"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void cacert_trusts_the_server_certificate() throws Exception {
        CliRun run = CliRun.withInput("40 + 2", "play", "--url", url, "--key", key, "--cacert", serverCertificatePem().toString());
        assertEquals(0, run.code(), run.err());
        assertEquals("42\n", run.out());
        assertEquals("", run.err());
    }

    @Test
    void insecure_connects_but_warns() {
        CliRun run = CliRun.withInput("40 + 2", "play", "--url", url, "--key", key, "--insecure");
        assertEquals(0, run.code(), run.err());
        assertEquals("42\n", run.out());
        assertTrue(run.err().startsWith("WARNING: --insecure"), run.err());
    }

    @Test
    void a_cacert_file_without_a_certificate_is_a_usage_error() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        CliRun run = CliRun.withInput("1", "play", "--url", url, "--key", key, "--cacert", empty.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("--cacert: cannot use " + empty), run.err());
    }
}
