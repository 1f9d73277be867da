package io.circles.crypto;

import java.math.BigInteger;

import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Verifies EIP-191 ({@code personal_sign}) signatures against a claimed secp256k1 public key.
 * <p>
 * Instead of recovering the key and comparing (two field square roots and a scalar inversion more),
 * it runs ECDSA verification with the claimed key and then checks that the recomputed point
 * {@code R = u1·G + u2·Q} has the y-parity named by {@code v}. That accepts exactly what recovery would
 * accept, so a signature with a flipped {@code v} is refused like ethers refuses it.
 */
public final class SignatureVerifier {

    private SignatureVerifier() {
    }

    /** True when {@code signatureHex} is a canonical signature of {@code message} by {@code publicKeyHex}. */
    public static boolean verifyPersonalSign(String publicKeyHex, String message, String signatureHex) {
        ECPoint publicKey;
        EthSignature signature;
        try {
            publicKey = Secp256k1.decodePublicKey(publicKeyHex);
            signature = EthSignature.parse(signatureHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return verify(publicKey, Eip191.digest(message), signature);
    }

    /** Verifies a parsed signature over a 32-byte digest. */
    public static boolean verify(ECPoint publicKey, byte[] digest, EthSignature signature) {
        BigInteger n = Secp256k1.N;
        BigInteger e = new BigInteger(1, digest);
        BigInteger w = signature.s().modInverse(n);
        BigInteger u1 = e.multiply(w).mod(n);
        BigInteger u2 = signature.r().multiply(w).mod(n);
        ECPoint point = ECAlgorithms.sumOfTwoMultiplies(Secp256k1.G, u1, publicKey, u2).normalize();
        if (point.isInfinity()) {
            return false;
        }
        BigInteger x = point.getAffineXCoord().toBigInteger();
        // secp256k1's n < p, so x may exceed n; recovery ids 2/3 (x ≥ n) never occur with v ∈ {27, 28}.
        if (x.compareTo(n) >= 0 || !x.equals(signature.r())) {
            return false;
        }
        boolean oddY = point.getAffineYCoord().testBitZero();
        return oddY == ((signature.recoveryId() & 1) == 1);
    }
}
