package io.circles.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides which address a connection counts against: the socket's peer, unless the peer is a configured trusted
 * proxy, in which case {@code X-Forwarded-For} is read from the right and the first hop that is not itself a
 * trusted proxy is the client. A header from an untrusted peer is ignored: anyone can write one.
 */
public final class TrustedProxies {
    private final List<Range> ranges;

    public TrustedProxies(List<String> entries) {
        this.ranges = entries.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Range::parse).toList();
    }

    /** The client address for a peer and its (possibly null, possibly repeated, comma-separated) forwarded header. */
    public String clientAddress(String peer, List<String> forwardedFor) {
        if (!trusted(peer) || forwardedFor == null || forwardedFor.isEmpty()) {
            return peer;
        }
        String[] hops = String.join(",", forwardedFor).split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = stripPort(hops[i].strip());
            if (!hop.isEmpty() && !trusted(hop)) {
                return literalOrNull(hop) == null ? peer : hop;
            }
        }
        return peer;
    }

    boolean trusted(String address) {
        byte[] bytes = literalOrNull(address);
        return bytes != null && ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    private static String stripPort(String hop) {
        if (hop.startsWith("[") && hop.contains("]")) {
            return hop.substring(1, hop.indexOf(']'));
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    /** The bytes of an IP literal, or null for anything else (never a DNS lookup). */
    static byte[] literalOrNull(String text) {
        // only literals reach InetAddress, so it never turns a forwarded header into a DNS lookup
        boolean v4 = text != null && text.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
        boolean v6 = text != null && text.contains(":") && text.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Range(byte[] network, int prefixBits) {
        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            byte[] address = literalOrNull(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("circles.limits.trusted-proxies: not an IP address or CIDR range: " + entry);
            }
            int bits = slash < 0 ? address.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            return new Range(address, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixBits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
