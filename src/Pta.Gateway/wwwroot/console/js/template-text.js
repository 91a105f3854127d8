// Placeholders as the gateway renders them (TemplateText): {名前} is replaced by the value named 名前, {{ and }} are
// literal braces. Used for the phone preview; the gateway renders the text that is sent.
const placeholder = /\{\{|\}\}|\{([^{}\s]{1,40})\}/g;

/** The text with every known placeholder filled; unknown ones stay as {名前}. */
export function render(text, valueOf) {
  return (text || '').replace(placeholder, (match, name) => {
    if (match === '{{') {
      return '{';
    }
    if (match === '}}') {
      return '}';
    }
    const value = valueOf(name);
    return value === undefined || value === null || value === '' ? match : value;
  });
}

/** The placeholder names in a text, in order, each once. */
export function names(text) {
  const found = [];
  for (const m of (text || '').matchAll(placeholder)) {
    if (m[1] && !found.includes(m[1])) {
      found.push(m[1]);
    }
  }
  return found;
}

/** The names the gateway fills in itself. */
export const automaticNames = ['発信者', '学校名', '教育委員会名'];
