package io.circles.crypto;

import java.math.BigInteger;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The secp256k1 curve through BouncyCastle's lightweight API only: no JCA provider is registered, which
 * keeps the code free of reflection and friendly to GraalVM native image.
 * <p>
 * {@link CustomNamedCurves} gives the specialised field arithmetic and the GLV endomorphism, several
 * times faster than the generic curve from {@code SECNamedCurves}.
 */
public final class Secp256k1 {
    static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    static final ECCurve CURVE = PARAMS.getCurve();
    static final ECPoint G = PARAMS.getG();
    static final BigInteger N = PARAMS.getN();
    static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1() {
    }

    /**
     * Decodes a SEC1 public key (33-byte compressed or 65-byte uncompressed, hex with optional {@code 0x}).
     *
     * @throws IllegalArgumentException when the text is not hex, has the wrong length or prefix, or the
     *                                  point is not on the curve
     */
    public static ECPoint decodePublicKey(String hex) {
        byte[] bytes = Hex.decode(hex);
        boolean compressed = bytes.length == 33 && (bytes[0] == 2 || bytes[0] == 3);
        boolean uncompressed = bytes.length == 65 && bytes[0] == 4;
        if (!compressed && !uncompressed) {
            throw new IllegalArgumentException("public key must be 33 bytes (02/03…) or 65 bytes (04…)");
        }
        try {
            ECPoint point = CURVE.decodePoint(bytes).normalize();
            if (point.isInfinity() || !point.isValid()) {
                throw new IllegalArgumentException("public key is not a point on secp256k1");
            }
            return point;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("public key is not a point on secp256k1");
        }
    }

    /** Canonical text form of a key: compressed, lower-case hex, no prefix. Two encodings of one point agree. */
    public static String canonical(ECPoint point) {
        return Hex.encode(point.getEncoded(true));
    }

    /** Parses any accepted encoding and returns the {@link #canonical} form. */
    public static String canonicalPublicKey(String hex) {
        return canonical(decodePublicKey(hex));
    }

    /** Whether {@code hex} is a well-formed secp256k1 public key in any accepted encoding. */
    public static boolean isPublicKey(String hex) {
        try {
            decodePublicKey(hex);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
