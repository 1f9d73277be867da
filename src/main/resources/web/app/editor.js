// The script editor: CodeMirror 6 with a small Rhai mode, Ctrl/Cmd+Enter to run, and error marking.
import { EditorView, basicSetup } from 'codemirror';
import { keymap } from '@codemirror/view';
import { EditorSelection, Prec } from '@codemirror/state';
import { StreamLanguage } from '@codemirror/language';

const KEYWORDS = new Set(['let', 'const', 'if', 'else', 'switch', 'do', 'while', 'loop', 'until', 'for', 'in', 'break',
  'continue', 'return', 'throw', 'try', 'catch', 'fn', 'private', 'import', 'export', 'as', 'global', 'is_shared', 'this']);
const ATOMS = new Set(['true', 'false']);

/** Tokens for highlighting only; the server's engine is the judge of what is valid Rhai. */
const rhai = StreamLanguage.define({
  name: 'rhai',
  startState: () => ({ inComment: false, inBacktick: false }),
  token(stream, state) {
    if (state.inComment) {
      if (stream.skipTo('*/')) {
        stream.match('*/');
        state.inComment = false;
      } else {
        stream.skipToEnd();
      }
      return 'comment';
    }
    if (state.inBacktick) {
      state.inBacktick = !readUntil(stream, '`');
      return 'string';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) { stream.skipToEnd(); return 'comment'; }
    if (stream.match('/*')) { state.inComment = true; return 'comment'; }
    if (stream.match('"')) { readUntil(stream, '"'); return 'string'; }
    if (stream.match('`')) { state.inBacktick = !readUntil(stream, '`'); return 'string'; }
    if (stream.match(/^'(?:\\.|[^'\\])'/)) return 'string';
    if (stream.match(/^(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:e[+-]?\d+)?)/)) return 'number';
    if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/)) {
      const word = stream.current();
      if (KEYWORDS.has(word)) return 'keyword';
      if (ATOMS.has(word)) return 'atom';
      if (/^[A-Z][A-Z0-9_]*$/.test(word)) return 'variableName.constant';
      return stream.peek() === '(' ? 'variableName.function' : 'variableName';
    }
    if (stream.match(/^[+\-*/%=<>!&|^?:.]+/)) return 'operator';
    stream.next();
    return null;
  },
});

/** Reads a string body up to an unescaped quote; true when it ended on this line. */
function readUntil(stream, quote) {
  let escaped = false;
  let ch;
  while ((ch = stream.next()) != null) {
    if (ch === quote && !escaped) return true;
    escaped = !escaped && ch === '\\';
  }
  return false;
}

export function createEditor(parent, doc, onRun) {
  const runKeys = Prec.highest(keymap.of([
    { key: 'Mod-Enter', run: () => { onRun(); return true; } },
  ]));
  return new EditorView({
    doc,
    parent,
    extensions: [runKeys, basicSetup, rhai, EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': 'Rhai script' })],
  });
}

export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/** Moves the cursor to a 1-based line and column (clamped to the document) and focuses the editor. */
export function goTo(view, line, column) {
  const doc = view.state.doc;
  const target = doc.line(Math.min(Math.max(1, line), doc.lines));
  const pos = target.from + Math.min(Math.max(0, column - 1), target.length);
  view.dispatch({ selection: EditorSelection.cursor(pos), scrollIntoView: true });
  view.focus();
}
