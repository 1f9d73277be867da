package io.circles.client;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS context of a client that connects over plain {@code ws://}. The JDK's HttpClient insists on one and
 * takes the default otherwise, whose trust store (about 150 CA certificates) is parsed at construction: half a
 * second of a command-line client's start. This one trusts nothing, so it would refuse any TLS connection; it is
 * only handed to a client whose address is {@code ws://}, which never does TLS.
 */
final class PlainOnlyTls {
    private PlainOnlyTls() {
    }

    static SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[] {new TrustNothing()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS implementation in this JDK", e);
        }
    }

    private static final class TrustNothing implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a ws:// client trusts no certificate");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a ws:// client trusts no certificate");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
