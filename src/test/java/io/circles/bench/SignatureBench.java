package io.circles.bench;

import java.util.Arrays;

import io.circles.crypto.KeyPair;
import io.circles.crypto.SignatureVerifier;

/**
 * Signature verifications per second on one thread (one core), as {@code authenticate} does them: parse
 * key and signature, EIP-191 digest, ECDSA with the parity check. Not a unit test; run with
 * {@code java -cp target/classes:target/test-classes:<deps> io.circles.bench.SignatureBench}.
 */
public final class SignatureBench {
    private SignatureBench() {
    }

    public static void main(String[] args) {
        int keys = 64;
        String[] pubkeys = new String[keys];
        String[] messages = new String[keys];
        String[] signatures = new String[keys];
        for (int i = 0; i < keys; i++) {
            KeyPair key = KeyPair.generate();
            pubkeys[i] = key.publicKeyCompressed();
            messages[i] = "nonce_1764212345_" + i + "0123456789abcdef0123456789abcdef";
            signatures[i] = key.signPersonal(messages[i]);
        }
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        double[] rates = new double[7];
        for (int round = 0; round < rates.length; round++) {
            long count = 0;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                int i = (int) (count % keys);
                if (!SignatureVerifier.verifyPersonalSign(pubkeys[i], messages[i], signatures[i])) {
                    throw new AssertionError("verification failed");
                }
                count++;
            }
            rates[round] = count / ((System.nanoTime() - start) / 1e9);
            System.out.printf("round %d: %.0f verifications/s%n", round, rates[round]);
        }
        double[] measured = Arrays.copyOfRange(rates, 2, rates.length);
        Arrays.sort(measured);
        System.out.printf("median after warm-up: %.0f verifications/s on one thread%n", measured[measured.length / 2]);
    }
}
