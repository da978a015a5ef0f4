// Building the page without markup strings: every element is made with createElement and every
// piece of text goes in as a text node, so nothing a customer wrote can ever become HTML.

// el('button', {class: 'primary', type: 'button', onclick: fn, dataset: {step: 'take'}}, 'Take', child...)
// Properties: "class" (a string or a list), "dataset", "on<event>" (listeners), "attrs" (setAttribute
// for ARIA and the like); anything else is set as a property (value, checked, disabled, hidden, ...).
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null) continue;
    if (key === 'class') {
      const names = Array.isArray(value) ? value.filter(Boolean) : String(value).split(/\s+/).filter(Boolean);
      node.classList.add(...names);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
    } else if (key === 'attrs') {
      for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
    } else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'innerHTML' || key === 'outerHTML') {
      throw new Error('markup is never built from strings');
    } else {
      node[key] = value;
    }
  }
  append(node, ...children);
  return node;
}

// Appends nodes and text (strings and numbers become text nodes; null, undefined and false are skipped).
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replace(node, ...children) {
  clear(node);
  return append(node, ...children);
}

// A labelled form field: <label>Text <input ...></label> with an id so the label is tied to it.
let fieldCounter = 0;
export function field(labelText, control, hint) {
  if (!control.id) control.id = 'f' + (++fieldCounter);
  const label = el('label', {htmlFor: control.id}, labelText);
  const parts = [label, control];
  if (hint) {
    const hintNode = el('small', {class: 'hint', id: control.id + '-hint'}, hint);
    control.setAttribute('aria-describedby', hintNode.id);
    parts.push(hintNode);
  }
  return el('div', {class: 'field'}, parts);
}

export function select(options, value, props = {}) {
  const node = el('select', props);
  for (const option of options) {
    const [optionValue, text] = Array.isArray(option) ? option : [option, option];
    node.append(el('option', {value: optionValue, selected: optionValue === value}, text));
  }
  return node;
}

// A message for the person in a region screen readers announce.
export function notice(kind, text) {
  return el('p', {class: ['notice', kind], attrs: {role: kind === 'error' ? 'alert' : 'status'}}, text);
}
