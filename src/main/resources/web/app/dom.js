/** Creates an element with properties set (textContent, never innerHTML: nothing from the server is parsed as HTML). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

export const $ = id => document.getElementById(id);
