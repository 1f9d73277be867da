// secp256k1 keys and Ethereum personal_sign (EIP-191) with maintained libraries: elliptic for the curve,
// crypto-js for Keccak-256 (its SHA3 is the original Keccak that Ethereum uses).
import { ec as EC } from 'elliptic';
import sha3 from 'crypto-js/sha3';
import Hex from 'crypto-js/enc-hex';

const curve = new EC('secp256k1');

const strip0x = hex => (hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex);

export function utf8Hex(text) {
  return Array.from(new TextEncoder().encode(text), b => b.toString(16).padStart(2, '0')).join('');
}

export function keccakHex(hex) {
  return sha3(Hex.parse(hex), { outputLength: 256 }).toString(Hex);
}

/** keccak256("\x19Ethereum Signed Message:\n" + length + message), message given as hex bytes. */
export function personalHash(messageHex) {
  const prefix = utf8Hex('\x19Ethereum Signed Message:\n' + messageHex.length / 2);
  return keccakHex(prefix + messageHex);
}

/** A fresh key from the browser's CSPRNG (elliptic draws from crypto.getRandomValues). */
export function generatePrivateKey() {
  return curve.genKeyPair().getPrivate('hex').padStart(64, '0');
}

/** The private key as 64 hex digits, or an Error saying why it is not one. */
export function normalisePrivateKey(text) {
  const hex = strip0x(text.trim()).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('a private key is 32 bytes of hex (64 digits, optional 0x)');
  const key = curve.keyFromPrivate(hex, 'hex');
  if (key.getPrivate().isZero() || key.getPrivate().cmp(curve.n) >= 0) throw new Error('not a valid secp256k1 private key');
  return hex;
}

export function publicKeyOf(privateHex) {
  return curve.keyFromPrivate(privateHex, 'hex').getPublic(true, 'hex');
}

/** personal_sign(message) as 0x r||s||v (v = 27/28, low s), like wallets produce. */
export function signPersonal(privateHex, message) {
  const sig = curve.keyFromPrivate(privateHex, 'hex').sign(personalHash(utf8Hex(message)), { canonical: true });
  return '0x' + sig.r.toString(16, 64) + sig.s.toString(16, 64) + (27 + sig.recoveryParam).toString(16);
}

/** The compressed public key that made a personal_sign signature of message (hex bytes). */
export function recoverPublicKey(messageHex, signatureHex) {
  const sig = strip0x(signatureHex);
  if (sig.length !== 130) throw new Error('the wallet returned a signature that is not 65 bytes');
  let v = parseInt(sig.slice(128), 16);
  if (v >= 27) v -= 27;
  const point = curve.recoverPubKey(personalHash(messageHex), { r: sig.slice(0, 64), s: sig.slice(64, 128) }, v);
  return point.encode('hex', true);
}

/** The Ethereum address of a public key (any encoding), lower-case with 0x. */
export function addressOf(publicHex) {
  const uncompressed = curve.keyFromPublic(strip0x(publicHex), 'hex').getPublic(false, 'hex').slice(2);
  return '0x' + keccakHex(uncompressed).slice(-40);
}

export function shortKey(key) {
  return key ? key.slice(0, 8) + '…' + key.slice(-6) : '';
}
