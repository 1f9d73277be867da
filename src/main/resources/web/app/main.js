// The Circles web app: choose an identity, connect to a circle, run scripts, look at the circle.
import './style.css';
import { $, el } from './dom.js';
import { Session } from './session.js';
import { createEditor, goTo, setText } from './editor.js';
import { generatedIdentity, importedIdentity, walletIdentity, remember, rememberedIdentity } from './identity.js';
import { renderExplorer } from './explorer.js';
import { signPersonal, publicKeyOf } from './keys.js';

const HISTORY_KEY = 'circles.history';
const HISTORY_MAX = 20;
const EXAMPLE = '// Ctrl+Enter (or Run) plays this script in the circle\nprint(`hello from ${CALLER_ID}`);\n40 + 2\n';

let identity = null;
const session = new Session(showStatus);
const editor = createEditor($('editor'), EXAMPLE, run);
let storeNext = null;

function showStatus(state, text) {
  const status = $('status');
  status.textContent = text;
  status.dataset.state = state;
  if (state === 'authenticated') refreshGlance();
}

function useIdentity(next) {
  identity = next;
  $('my-key').textContent = next ? next.publicKey : 'none';
  $('identity-kind').textContent = next ? '(' + next.kind + ')' : '';
  remember(next, $('remember').checked);
}

async function guarded(action) {
  try {
    await action();
  } catch (e) {
    showStatus('error', 'error: ' + e.message);
  }
}

$('generate').addEventListener('click', () => guarded(() => useIdentity(generatedIdentity())));
$('import').addEventListener('click', () => {
  $('import-box').hidden = !$('import-box').hidden;
  if (!$('import-box').hidden) $('import-key').focus();
});
$('import-ok').addEventListener('click', () => guarded(() => {
  useIdentity(importedIdentity($('import-key').value));
  $('import-key').value = '';
  $('import-box').hidden = true;
}));
$('import-key').addEventListener('keydown', e => { if (e.key === 'Enter') $('import-ok').click(); });
$('wallet').addEventListener('click', () => guarded(async () => {
  showStatus(session.connected ? 'connected' : 'disconnected', 'waiting for the wallet…');
  useIdentity(await walletIdentity(window.ethereum));
  showStatus('disconnected', 'wallet key ready: Connect to sign in');
}));
$('remember').addEventListener('change', () => remember(identity, $('remember').checked));

$('connect').addEventListener('click', () => guarded(async () => {
  const circle = $('circle').value.trim();
  if (!circle) {
    showStatus('error', 'error: enter the circle public key first');
    $('circle').focus();
    return;
  }
  const url = new URL(location.href);
  url.searchParams.set('circle', circle);
  history.replaceState(null, '', url);
  await session.connect(circle, identity);
}));
$('circle').addEventListener('keydown', e => { if (e.key === 'Enter') $('connect').click(); });
$('disconnect').addEventListener('click', () => session.close());
$('run').addEventListener('click', run);
$('refresh').addEventListener('click', refreshGlance);
$('store-prefix').addEventListener('change', () => loadStore(true));
$('store-more').addEventListener('click', () => loadStore(false));
$('history').addEventListener('change', () => {
  if ($('history').value !== '') setText(editor, history_()[Number($('history').value)]);
  $('history').value = '';
});

async function run() {
  const script = editor.state.doc.toString();
  if ($('run').disabled) return;
  if (!session.connected) {
    addOutput('error', 'not connected: choose an identity and press Connect', []);
    return;
  }
  $('run').disabled = true;
  $('run').setAttribute('aria-busy', 'true');
  $('run').classList.add('busy');
  saveHistory(script);
  try {
    const result = await session.call('play', { script });
    addOutput('ok', result.output, result.logs);
  } catch (e) {
    const data = e.data || {};
    addOutput('error', data.error || e.message, data.logs || [], data.line ? { line: data.line, column: data.column } : null);
  } finally {
    $('run').disabled = false;
    $('run').removeAttribute('aria-busy');
    $('run').classList.remove('busy');
  }
}

/** One result, newest on top, read top-down: what ran when, what it printed, then its value or error. */
function addOutput(kind, text, logs, position) {
  const item = el('li', { className: 'result ' + kind });
  item.append(el('div', { className: 'meta', textContent: new Date().toLocaleTimeString() + (kind === 'ok' ? ' · result' : ' · error') }));
  if (logs.length) item.append(el('pre', { className: 'logs', textContent: logs.join('\n') }));
  item.append(el('pre', { className: 'value', textContent: text === '' ? '()' : text }));
  if (position) {
    const jump = el('button', { type: 'button', className: 'position',
      textContent: 'line ' + position.line + ', column ' + position.column });
    jump.addEventListener('click', () => goTo(editor, position.line, position.column));
    item.append(jump);
  }
  $('output').prepend(item);
}

function history_() {
  try {
    const list = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
    return Array.isArray(list) ? list.filter(s => typeof s === 'string') : [];
  } catch (e) {
    return [];
  }
}

function saveHistory(script) {
  const list = [script, ...history_().filter(s => s !== script)].slice(0, HISTORY_MAX);
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(list));
  } catch (e) {
    // storage full or disabled: history is a convenience
  }
  renderHistory(list);
}

function renderHistory(list) {
  const select = $('history');
  select.replaceChildren(el('option', { value: '', textContent: list.length ? 'recent scripts…' : 'no scripts yet' }));
  list.forEach((script, i) => select.append(el('option', { value: String(i), textContent: script.replace(/\s+/g, ' ').slice(0, 60) })));
}

async function refreshGlance() {
  if (!session.connected) return;
  try {
    $('whoami').textContent = JSON.stringify(await session.call('whoami', {}), null, 2);
  } catch (e) {
    $('whoami').textContent = 'error: ' + e.message;
  }
  await loadStore(true);
  await loadEvents();
}

async function loadStore(fromStart) {
  const body = $('store');
  if (fromStart) {
    body.replaceChildren();
    storeNext = null;
  }
  try {
    const params = { prefix: $('store-prefix').value, limit: 20 };
    if (storeNext) params.after = storeNext;
    const page = await session.call('store_keys', params);
    for (const key of page.keys) {
      const entry = await session.call('store_get', { key });
      body.append(el('tr', {}, el('td', { textContent: key }), el('td', {}, el('code', { textContent: JSON.stringify(entry.value) }))));
    }
    if (!body.children.length) body.append(el('tr', {}, el('td', { colSpan: 2, className: 'hint', textContent: 'no keys' })));
    storeNext = page.next;
    $('store-more').hidden = !page.next;
  } catch (e) {
    body.replaceChildren(el('tr', {}, el('td', { colSpan: 2, textContent: 'error: ' + e.message })));
  }
}

async function loadEvents() {
  const list = $('events');
  try {
    const page = await session.call('event_log', { limit: 20 });
    list.replaceChildren(...page.events.map(e => el('li', {},
      el('strong', { textContent: e.provider + ' ' + (e.type || '') }),
      el('span', { className: 'hint', textContent: ' ' + new Date(Number(e.received_at) * 1000).toLocaleString() + ' · ' + (e.event_id || '') }))));
    if (!page.events.length) list.append(el('li', { className: 'hint', textContent: 'no webhook events yet' }));
  } catch (e) {
    list.replaceChildren(el('li', { textContent: 'error: ' + e.message }));
  }
}

async function loadContract() {
  try {
    const response = await fetch('/openrpc.json');
    renderExplorer($('explorer'), await response.json(), (method, params) => session.call(method, params));
  } catch (e) {
    $('explorer').textContent = 'the API contract could not be loaded';
  }
}

function start() {
  const circle = new URLSearchParams(location.search).get('circle');
  if (circle) $('circle').value = circle;
  const remembered = rememberedIdentity();
  if (remembered) {
    $('remember').checked = true;
    useIdentity(remembered);
  }
  renderHistory(history_());
  loadContract();
}

// For tools and tests that act as a wallet inside this page: the same signing the page uses.
window.Circles = Object.freeze({ signPersonal, publicKeyOf });

start();
