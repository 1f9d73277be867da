// One WebSocket session with a circle: JSON-RPC calls, sign-in with the chosen identity, the refusal reason
// when the upgrade fails (asked from /api/circles/<pk>/status), and a fresh sign-in after a 1001 close.
const GOING_AWAY = 1001;
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000];

export class RpcError extends Error {
  constructor(error) {
    super(error.message);
    this.code = error.code;
    this.data = error.data;
  }
}

export class Session {
  constructor(onStatus) {
    this.onStatus = onStatus;
    this.socket = null;
    this.pending = new Map();
    this.nextId = 1;
    this.circle = null;
    this.identity = null;
    this.wanted = false;
    this.retries = 0;
  }

  async connect(circle, identity) {
    this.close();
    this.circle = circle;
    this.identity = identity;
    this.wanted = true;
    this.retries = 0;
    return this.open();
  }

  close() {
    this.wanted = false;
    if (this.socket) this.socket.close(1000, 'bye');
    this.socket = null;
    this.failPending('disconnected');
  }

  get connected() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  async open() {
    this.status('connecting', 'connecting to ' + this.circle.slice(0, 10) + '…');
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const socket = new WebSocket(scheme + location.host + '/' + encodeURIComponent(this.circle));
    this.socket = socket;
    const opened = await new Promise(resolve => {
      socket.onopen = () => resolve(true);
      socket.onclose = () => resolve(false);
    });
    if (!opened) {
      this.socket = null;
      this.status('error', 'error: ' + await refusalReason(this.circle));
      this.wanted = false;
      return false;
    }
    socket.onmessage = event => this.receive(event.data);
    socket.onclose = event => this.closed(socket, event);
    return this.signIn();
  }

  async signIn() {
    try {
      if (!this.identity) {
        this.status('connected', 'connected (not signed in: choose an identity)');
        return true;
      }
      this.status('connecting', 'signing in…');
      const pubkey = this.identity.publicKey;
      const { nonce } = await this.call('fetch_nonce', { pubkey });
      const signature = await this.identity.sign(nonce);
      await this.call('authenticate', { pubkey, signature });
      this.retries = 0;
      this.status('authenticated', 'authenticated as ' + pubkey.slice(0, 8) + '…' + pubkey.slice(-6));
      return true;
    } catch (e) {
      this.status('error', 'error: sign-in failed: ' + e.message);
      return false;
    }
  }

  closed(socket, event) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.failPending('connection closed');
    if (this.wanted && event.code === GOING_AWAY && this.retries < RECONNECT_DELAYS_MS.length) {
      const delay = RECONNECT_DELAYS_MS[this.retries++];
      this.status('connecting', 'server restarting (1001), reconnecting…');
      setTimeout(() => { if (this.wanted) this.open(); }, delay);
      return;
    }
    this.wanted = false;
    this.status('disconnected', 'disconnected' + (event.code !== 1000 ? ' (code ' + event.code + (event.reason ? ': ' + event.reason : '') + ')' : ''));
  }

  call(method, params) {
    if (!this.connected) return Promise.reject(new Error('not connected'));
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  receive(text) {
    let reply;
    try {
      reply = JSON.parse(text);
    } catch (e) {
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.error) waiting.reject(new RpcError(reply.error));
    else waiting.resolve(reply.result);
  }

  failPending(why) {
    for (const waiting of this.pending.values()) waiting.reject(new Error(why));
    this.pending.clear();
  }

  status(state, text) {
    this.onStatus(state, text);
  }
}

/** Why an upgrade to /<circle> fails: the browser only sees 1006, the status endpoint says why. */
async function refusalReason(circle) {
  try {
    const response = await fetch('/api/circles/' + encodeURIComponent(circle) + '/status');
    const status = await response.json();
    if (status.accepting) return 'the connection failed although the server accepts this circle (network or proxy?)';
    return status.reason + ' (HTTP ' + status.status + ')';
  } catch (e) {
    return 'the server cannot be reached';
  }
}
