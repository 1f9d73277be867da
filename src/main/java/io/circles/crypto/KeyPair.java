package io.circles.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * A secp256k1 key pair that signs like an Ethereum wallet: deterministic nonces (RFC 6979), low-s,
 * {@code v} = 27/28. Used by the client library, the CLI and tests; the server only verifies.
 */
public final class KeyPair {
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(Secp256k1.CURVE, Secp256k1.G, Secp256k1.N);

    private final BigInteger privateKey;
    private final ECPoint publicKey;

    private KeyPair(BigInteger privateKey) {
        if (privateKey.signum() <= 0 || privateKey.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("private key out of range");
        }
        this.privateKey = privateKey;
        this.publicKey = new FixedPointCombMultiplier().multiply(Secp256k1.G, privateKey).normalize();
    }

    /** From a 32-byte private key in hex (optional {@code 0x}). */
    public static KeyPair fromPrivateKey(String hex) {
        byte[] bytes = Hex.decode(hex.strip());
        if (bytes.length != 32) {
            throw new IllegalArgumentException("private key must be 32 bytes");
        }
        return new KeyPair(new BigInteger(1, bytes));
    }

    /** A fresh key from {@link SecureRandom}. */
    public static KeyPair generate() {
        SecureRandom random = new SecureRandom();
        BigInteger d;
        do {
            d = new BigInteger(256, random);
        } while (d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0);
        return new KeyPair(d);
    }

    public String privateKeyHex() {
        byte[] raw = privateKey.toByteArray();
        byte[] out = new byte[32];
        int skip = raw.length > 32 ? raw.length - 32 : 0;
        System.arraycopy(raw, skip, out, 32 - (raw.length - skip), raw.length - skip);
        return "0x" + Hex.encode(out);
    }

    public String publicKeyCompressed() {
        return "0x" + Hex.encode(publicKey.getEncoded(true));
    }

    public String publicKeyUncompressed() {
        return "0x" + Hex.encode(publicKey.getEncoded(false));
    }

    /** {@code personal_sign(message)}: a 65-byte signature as {@code 0x}-hex with v = 27/28. */
    public String signPersonal(String message) {
        byte[] digest = Eip191.digest(message);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(privateKey, DOMAIN));
        BigInteger[] rs = signer.generateSignature(digest);
        BigInteger s = rs[1].compareTo(Secp256k1.HALF_N) > 0 ? Secp256k1.N.subtract(rs[1]) : rs[1];
        for (int recoveryId = 0; recoveryId < 2; recoveryId++) {
            EthSignature candidate = new EthSignature(rs[0], s, recoveryId);
            if (SignatureVerifier.verify(publicKey, digest, candidate)) {
                return candidate.toHex();
            }
        }
        throw new IllegalStateException("could not determine the recovery id");
    }
}
