// Japanese first, English on request. Static text is written in Japanese in index.html (so the page reads right before
// any script runs); elements carry data-i18n="key" and the English comes from here. Text made by scripts is looked up
// with t(key, values) in both languages. The choice is kept in localStorage (it is not a secret).
import { en, ja } from './messages.js';

const langKey = 'pta.console.lang';
let lang = localStorage.getItem(langKey) === 'en' ? 'en' : 'ja';
const listeners = [];

export const currentLang = () => lang;

/** The message in the current language, with {name} replaced by values[name]. */
export function t(key, values) {
  const text = (lang === 'en' ? en[key] : undefined) ?? ja[key] ?? en[key] ?? key;
  return values ? text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m)) : text;
}

/** Rewrites every data-i18n element (and data-i18n-aria-label attribute) under root in the current language. */
export function apply(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) {
    if (node.dataset.ja === undefined) {
      node.dataset.ja = node.textContent;
    }
    node.textContent = lang === 'en' ? en[node.dataset.i18n] ?? node.dataset.ja : node.dataset.ja;
  }
  for (const node of root.querySelectorAll('[data-i18n-aria-label]')) {
    if (node.dataset.jaLabel === undefined) {
      node.dataset.jaLabel = node.getAttribute('aria-label') || '';
    }
    node.setAttribute('aria-label', lang === 'en' ? en[node.dataset.i18nAriaLabel] ?? node.dataset.jaLabel : node.dataset.jaLabel);
  }
  document.documentElement.lang = lang;
  document.title = t('siteName');
  const toggle = document.getElementById('lang');
  toggle.textContent = lang === 'en' ? '日本語' : 'English';
  toggle.lang = lang === 'en' ? 'ja' : 'en';
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'ja';
  localStorage.setItem(langKey, lang);
  apply();
  for (const listener of listeners) {
    listener(lang);
  }
}

/** Views re-render their script-made text when the language changes. */
export function onLangChange(listener) {
  listeners.push(listener);
}

/** Dates in Japan time, as staff read them. */
export function formatTime(value, withDate = true) {
  if (!value) {
    return '';
  }
  const date = new Date(value);
  if (isNaN(date)) {
    return '';
  }
  const options = withDate ? { dateStyle: 'medium', timeStyle: 'short' } : { timeStyle: 'short' };
  return date.toLocaleString(lang === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', ...options });
}

export function formatNumber(n) {
  return Number(n || 0).toLocaleString(lang === 'en' ? 'en-US' : 'ja-JP');
}

/** A request field's name as staff read it; the API's own name when there is no translation. */
export function fieldLabel(field) {
  const key = 'field.' + field;
  const text = t(key);
  return text === key ? field : text;
}
