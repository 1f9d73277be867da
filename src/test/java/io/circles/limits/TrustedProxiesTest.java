package io.circles.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which address a connection counts against, with and without trusted proxies in front. */
class TrustedProxiesTest {
    private final TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "192.168.1.5", "fd00::/8"));

    @Test
    void a_forwarded_header_from_an_untrusted_peer_is_ignored() {
        assertEquals("203.0.113.9", proxies.clientAddress("203.0.113.9", List.of("1.2.3.4")));
        assertEquals("203.0.113.9", new TrustedProxies(List.of()).clientAddress("203.0.113.9", List.of("1.2.3.4")));
    }

    @Test
    void behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client() {
        assertEquals("198.51.100.7", proxies.clientAddress("10.1.2.3", List.of("6.6.6.6, 198.51.100.7, 10.9.9.9")));
        assertEquals("198.51.100.7", proxies.clientAddress("192.168.1.5", List.of("6.6.6.6", "198.51.100.7:4711")));
        assertEquals("2001:db8::1", proxies.clientAddress("fd12::1", List.of("[2001:db8::1]:443")));
    }

    @Test
    void garbage_or_an_all_trusted_chain_counts_against_the_proxy_itself() {
        assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", List.of("not-an-address")));
        assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", List.of("10.4.4.4, 10.5.5.5")));
        assertEquals("10.1.2.3", proxies.clientAddress("10.1.2.3", null));
    }

    @Test
    void a_malformed_proxy_entry_is_refused_at_startup() {
        assertThrows(IllegalArgumentException.class, () -> new TrustedProxies(List.of("proxy.example.com")));
    }
}
