// Small DOM helpers. Safety rule of the console: text from the API or from staff goes into the page through
// textContent (el's text argument) only, never as HTML.
export const $ = (id) => document.getElementById(id);

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

/** Shows a message at the top of the page (role=status), or hides it with an empty text. */
export function say(text, kind = 'info') {
  const box = $('page-message');
  box.textContent = text || '';
  box.className = 'notice ' + kind;
  box.hidden = !text;
}

/** The problem details' field errors as [field, messages] pairs; the title or detail when there are none. */
export function problemLines(answer, fallback) {
  const data = answer.data || {};
  if (data.errors) {
    return Object.entries(data.errors).map(([field, messages]) => field + ': ' + [].concat(messages).join(' '));
  }
  return [data.detail || data.title || fallback];
}

export function uuid() {
  return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
}
