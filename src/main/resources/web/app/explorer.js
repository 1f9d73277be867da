// API explorer: one form per method of the contract (rpc.discover), except play, which has the editor.
import { el } from './dom.js';

export function renderExplorer(container, document, call) {
  container.replaceChildren();
  for (const method of document.methods || []) {
    if (method.name === 'play') continue;
    container.append(methodForm(method, call));
  }
}

function methodForm(method, call) {
  const form = el('form', { className: 'method' });
  const slug = method.name.replace(/[^a-z0-9]/gi, '-');
  form.append(el('h3', { textContent: method.name }), el('p', { className: 'hint', textContent: method.summary || '' }));
  const inputs = [];
  for (const param of method.params || []) {
    const id = 'api-' + slug + '-' + param.name;
    const type = (param.schema && param.schema.type) || 'string';
    const input = el('input', { id, name: param.name, spellcheck: false, required: !!param.required,
      placeholder: (param.required ? 'required ' : 'optional ') + (Array.isArray(type) ? type.join('|') : type) });
    inputs.push({ param, type, input });
    form.append(el('label', { htmlFor: id, textContent: param.name + (param.description ? ' — ' + param.description : '') }), input);
  }
  const result = el('pre', { className: 'box', textContent: '' });
  const button = el('button', { type: 'submit', textContent: 'Call ' + method.name });
  form.append(button, result);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const params = {};
      for (const { param, type, input } of inputs) {
        if (input.value !== '') params[param.name] = convert(input.value, type);
      }
      result.textContent = JSON.stringify(await call(method.name, params), null, 2);
    } catch (e) {
      result.textContent = 'error' + (e.code ? ' ' + e.code : '') + ': ' + e.message;
    }
  });
  return form;
}

function convert(text, type) {
  if (type === 'integer' || type === 'number') return Number(text);
  if (type === 'object' || type === 'array' || type === 'boolean') return JSON.parse(text);
  return text;
}
