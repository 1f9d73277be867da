// Who the page signs as: a key made or imported here (kept in memory, in localStorage only when the user
// asks), or an EIP-1193 wallet at window.ethereum. Every identity offers publicKey and sign(nonce).
import { generatePrivateKey, normalisePrivateKey, publicKeyOf, signPersonal, utf8Hex, recoverPublicKey, addressOf } from './keys.js';

const STORED_KEY = 'circles.privateKey';
const REVEAL_MESSAGE = 'Circles: reveal my public key to this page';

export function localIdentity(privateHex, kind) {
  return {
    kind,
    publicKey: publicKeyOf(privateHex),
    privateHex,
    sign: async nonce => signPersonal(privateHex, nonce),
  };
}

export function generatedIdentity() {
  return localIdentity(generatePrivateKey(), 'generated in this page');
}

export function importedIdentity(text) {
  return localIdentity(normalisePrivateKey(text), 'imported');
}

export function remember(identity, yes) {
  try {
    if (yes && identity && identity.privateHex) localStorage.setItem(STORED_KEY, identity.privateHex);
    else localStorage.removeItem(STORED_KEY);
  } catch (e) {
    // storage may be disabled (private mode); the key then lives for this page only
  }
}

export function rememberedIdentity() {
  try {
    const stored = localStorage.getItem(STORED_KEY);
    return stored ? localIdentity(normalisePrivateKey(stored), 'remembered in this browser') : null;
  } catch (e) {
    return null;
  }
}

/**
 * A wallet identity. A wallet tells its address, not its public key, so the key is recovered from one
 * signature of a fixed message and checked against the address; the nonce is signed later, on Connect.
 */
export async function walletIdentity(provider) {
  if (!provider || typeof provider.request !== 'function') {
    throw new Error('no wallet found: install an EIP-1193 wallet (window.ethereum)');
  }
  const accounts = await provider.request({ method: 'eth_requestAccounts' });
  if (!accounts || !accounts.length) throw new Error('the wallet shared no account');
  const account = String(accounts[0]).toLowerCase();
  const revealHex = utf8Hex(REVEAL_MESSAGE);
  const signature = await provider.request({ method: 'personal_sign', params: ['0x' + revealHex, account] });
  const publicKey = recoverPublicKey(revealHex, signature);
  if (addressOf(publicKey) !== account) throw new Error('the wallet signed with a key that is not its account');
  return {
    kind: 'wallet ' + account,
    publicKey,
    sign: nonce => provider.request({ method: 'personal_sign', params: ['0x' + utf8Hex(nonce), account] }),
  };
}
