
// ---- Koekje loader (appended to the wasm-bindgen glue by scripts/build.sh) ----
// Finds the config (an inline <script type="application/json"
// id="koekje-config"> in the head or before Koekje's tag, or the data-config
// URL on Koekje's tag), loads the wasm and the config in parallel, then
// starts. If anything fails, held scripts simply stay held: nothing
// non-essential runs. Koekje trusts its own tag and the head, nothing else
// in the page.
//
// Importing this module never throws and never waits: the exports below
// work at once (before Koekje has started, and for good if it cannot
// start, `accepted()` is false, `consent()` is null and the rest do
// nothing); `ready` settles when Koekje has started or given up. The
// glue's own functions were renamed `koekje_*` by scripts/build.sh.
const koekjeKey = Symbol.for('koekje');
// Set by scripts/build.sh: a hash of the wasm this glue was built with,
// and the wasm's subresource-integrity hash (a stale wasm does not load).
const koekjeBuild = 'KOEKJE_BUILD';
const koekjeWasmIntegrity = 'KOEKJE_WASM_SRI';
// The API of the running Koekje (this copy's, or the first copy's), once
// it has started.
let koekjeLive = null;
let koekjeSaid = false;
const koekjeWait = (name, fallback) => (...args) => {
  if (koekjeLive) return koekjeLive[name](...args);
  if (!koekjeSaid) {
    koekjeSaid = true;
    console.warn('koekje: ' + name + '() called before Koekje started (or it could not start): nothing is accepted yet; await koekje.ready for the state');
  }
  return fallback;
};
export const show = koekjeWait('show');
export const showPreferences = koekjeWait('showPreferences');
export const hide = koekjeWait('hide');
export const acceptAll = koekjeWait('acceptAll');
export const rejectAll = koekjeWait('rejectAll');
export const accept = koekjeWait('accept');
export const accepted = koekjeWait('accepted', false);
export const consent = koekjeWait('consent', null);
export const reset = koekjeWait('reset');
export const setLanguage = koekjeWait('setLanguage');
let koekjeSettle;
/** Settles with the record that counts (or null) once Koekje has started, or with null if it cannot. */
export const ready = new Promise((r) => (koekjeSettle = r));
const koekjeApi = Object.freeze({ show, showPreferences, hide, acceptAll, rejectAll, accept, accepted, consent, reset, setLanguage, ready });

// Page content can shadow `document`'s own properties by name
// (`<img name="scripts">`, `<form name="body">`: DOM clobbering), so the
// loader reads the document through Document.prototype, never through
// `document.x`. At start, elements whose name or id shadows a property of
// `document` lose that attribute (the console names them), so the wasm's
// reads are the browser's too.
const koekjeDoc = typeof Document === 'undefined' ? null : Document.prototype;
const koekjeGet = (name) => {
  for (let p = koekjeDoc; p; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d) return d.get.call(document);
  }
};
const koekjeAll = (selector) => [...koekjeDoc.querySelectorAll.call(document, selector)];
function koekjeUnclobber() {
  // Named elements show up as own properties of `document`: only those
  // (not every element of the page) are looked at.
  for (const name of Object.getOwnPropertyNames(document)) {
    if (!(name in koekjeDoc || name in Node.prototype || name in EventTarget.prototype || name in Object.prototype)) continue;
    for (const el of koekjeAll('[name],[id]')) {
      for (const attr of ['name', 'id']) {
        if (el.getAttribute(attr) !== name) continue;
        el.removeAttribute(attr);
        console.error('koekje: <' + el.localName + ' ' + attr + '="' + name + '">: shadowed document.' + name + ' (DOM clobbering); its ' + attr + ' was removed');
      }
    }
  }
}
// The base for the page's relative addresses (data-config, data-src, the
// consent log, the privacy link): the page's own address, or a <base> in the
// head; never a <base> that page content put in the body.
function koekjeBase() {
  const base = koekjeAll('base[href]')[0];
  return base && koekjeGet('head').contains(base) ? base.href : koekjeGet('URL');
}
// Relative addresses stay as written, unless a <base> from page content
// would change what they mean: then they are made absolute.
const koekjeResolve = (address) => {
  const base = koekjeBase();
  if (base === koekjeGet('baseURI')) return address;
  try {
    return new URL(address, base).href;
  } catch (e) {
    return address;
  }
};

// Koekje's own tag: the one this module came from; else (the module was
// redirected, or imported by another) one named koekje.js, else a module
// tag with a data-config. Page content cannot add a script (sanitisers
// drop them), so a <script> is trusted here.
function koekjeOwnTag(scripts) {
  return scripts.find((s) => s.src === import.meta.url) ||
    scripts.find((s) => /\/koekje\.js([?#]|$)/.test(s.src)) ||
    scripts.find((s) => s.type === 'module' && s.hasAttribute('data-config'));
}
// How an element is named in the console.
const koekjeName = (el) => '<' + el.localName + (el.type ? ' type="' + el.type + '"' : '') + ' id="koekje-config">';
// The inline config: only a <script type="application/json"> that stands in
// the head or before Koekje's own tag counts; any other element with that
// id (page content can carry any id) is ignored and named.
function koekjeInline(tag) {
  let found = null;
  for (const el of koekjeAll('[id="koekje-config"]')) {
    const placed = koekjeGet('head').contains(el) || (tag && el.compareDocumentPosition(tag) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (!found && el instanceof HTMLScriptElement && el.type.trim().toLowerCase() === 'application/json' && placed) found = el;
    else console.error('koekje: ' + koekjeName(el) + ': ignored; only a <script type="application/json" id="koekje-config"> in the <head> or before Koekje\'s script tag is read');
  }
  return found;
}
async function koekjeConfig(tag, inline) {
  const url = tag && tag.dataset.config && koekjeResolve(tag.dataset.config);
  if (url) {
    if (inline) console.warn('koekje: #koekje-config: ignored, the data-config file applies');
    try {
      const response = await fetch(url, { credentials: 'same-origin' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return [await response.text(), url];
    } catch (e) {
      // Reported by the wasm, which then fails closed.
      return [null, url, e.message];
    }
  }
  return [inline ? inline.textContent : null, '#koekje-config'];
}
// The nonce Koekje trusts: its own tag's, else the config script's, else a
// <head> script's (the module that imported Koekje); and whether any script
// of the page carries a nonce (then a held script needs the trusted one).
function koekjeNonce(scripts, tag, inline) {
  const head = scripts.find((s) => s.nonce && koekjeGet('head').contains(s));
  const nonce = (tag && tag.nonce) || (inline && inline.nonce) || (head && head.nonce) || '';
  return [nonce, scripts.some((s) => s.nonce)];
}
// The interface's stylesheet (src/koekje-view.css, written in by build.sh):
// each of Koekje's shadow roots adopts it. A constructed sheet is no
// <style> element, so a strict CSP's style-src does not stop it; a browser
// without constructed sheets (Firefox before 101, Safari before 16.4) gets
// a <style> with the nonce Koekje trusts.
// Browsers without light-dark() (Chrome before 123, Safari before 17.5,
// Firefox before 120) get each colour's light half.
const koekjeViewCss = "KOEKJE_VIEW_CSS";
const koekjeCss = () => (CSS.supports('color', 'light-dark(#000,#fff)') ? koekjeViewCss
  : koekjeViewCss.replace(/light-dark\(((?:[^(),]|\([^()]*\))+),(?:[^(),]|\([^()]*\))+\)/g, '$1'));
let koekjeSheet = null;
function koekjeStyle(root, nonce) {
  try {
    if (!koekjeSheet) {
      koekjeSheet = new CSSStyleSheet();
      koekjeSheet.replaceSync(koekjeCss());
    }
    root.adoptedStyleSheets = [koekjeSheet];
  } catch (e) {
    const style = koekjeDoc.createElement.call(document, 'style');
    if (nonce) style.nonce = nonce;
    style.textContent = koekjeCss();
    root.prepend(style);
  }
}
// The Trusted Types policy for the scripts Koekje releases (the page allows
// it with `trusted-types koekje`); kept in this module, never exposed.
function koekjePolicy() {
  try {
    return window.trustedTypes ? trustedTypes.createPolicy('koekje', { createScript: (s) => s, createScriptURL: (s) => s }) : null;
  } catch (e) {
    return null;
  }
}
// Google Tag Manager: a `koekje_consent` event on every stored choice at
// start and every choice, with what is accepted (wholly) now; only on
// pages that have a dataLayer (GTM's snippet or koekje-gcm.js made it).
function koekjeDataLayer(record) {
  if (!record || !Array.isArray(window.dataLayer)) return;
  const on = (map, test) => Object.keys(map || {}).filter(test);
  const categories = on(record.categories, (c) => koekjeLive.accepted(c));
  const services = [];
  for (const c of Object.keys(record.services || {})) services.push(...on(record.services[c], (s) => record.services[c][s] && koekjeLive.accepted(c, s)));
  window.dataLayer.push({ event: 'koekje_consent', koekjeCategories: categories, koekjeServices: services, koekjeMethod: record.method });
}
// The consent log's plumbing (what an event holds is the wasm's): the
// notice's SHA-256, and a queue in localStorage (at most 50 events, one per
// event id, with the notice texts they need) sent in order with fetch
// (keepalive, so a reload does not cut it off; unlike sendBeacon it says
// whether the receiver took the event). What the receiver refuses for good
// (4xx) is dropped; while it cannot be reached, the rest waits for a later
// page. A notice the receiver lacks is uploaded once (PUT, idempotent).
const koekjeNotices = new Map();
const KOEKJE_QUEUE = 'koekje-log';
let koekjeMemoryQueue = { events: [], notices: {} };
let koekjeSending = false;
function koekjeHash(text) {
  if (!(window.crypto && crypto.subtle)) return Promise.resolve(null);
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then((d) => {
    const hash = [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
    koekjeNotices.set(hash, text);
    return hash;
  }, () => null);
}
function koekjeQueue(change) {
  let q = koekjeMemoryQueue;
  try {
    q = JSON.parse(localStorage.getItem(KOEKJE_QUEUE)) || { events: [], notices: {} };
  } catch (e) { /* no storage: this page view's queue */ }
  if (change) {
    change(q);
    for (const h of Object.keys(q.notices)) if (!q.events.some((e) => e.notice === h)) delete q.notices[h];
    koekjeMemoryQueue = q;
    try {
      if (q.events.length) localStorage.setItem(KOEKJE_QUEUE, JSON.stringify(q));
      else localStorage.removeItem(KOEKJE_QUEUE);
    } catch (e) { /* kept in memory */ }
  }
  return q;
}
async function koekjeSend(url, text) {
  if (text) {
    const event = JSON.parse(text);
    koekjeQueue((q) => {
      if (!q.events.some((e) => e.eventId === event.eventId)) q.events.push(event);
      q.events = q.events.slice(-50);
      if (koekjeNotices.has(event.notice)) q.notices[event.notice] = koekjeNotices.get(event.notice);
    });
  }
  if (koekjeSending) return;
  koekjeSending = true;
  url = koekjeResolve(url);
  const post = (event) => fetch(url + '/events', { method: 'POST', keepalive: true, credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  try {
    for (let event; (event = koekjeQueue().events[0]); ) {
      const answer = await post(event).catch(() => null);
      if (!answer || answer.status >= 500 || answer.status === 429) break;
      if (!answer.ok) console.error('koekje: consent log at ' + url + ': event refused (HTTP ' + answer.status + '), dropped');
      if (answer.ok) await koekjeUpload(url, event.notice);
      koekjeQueue((q) => (q.events = q.events.filter((e) => e.eventId !== event.eventId)));
    }
  } finally {
    koekjeSending = false;
  }
}
async function koekjeUpload(url, hash) {
  const text = koekjeQueue().notices[hash] || koekjeNotices.get(hash);
  const at = url + '/notices/' + hash;
  const held = await fetch(at, { method: 'HEAD', credentials: 'same-origin' }).catch(() => null);
  if (text && held && held.status === 404) {
    await fetch(at, { method: 'PUT', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: text }).catch(() => null);
  }
}
// The built-in words of a language (koekje-texts-nl.txt, …: only the
// language shown is downloaded), fetched once; a file that does not start
// with this build's id (a stale cache) is refused. `texts(lang)` is the
// wasm's helper: it hands the words over when they are there. The words of
// the page's language get a head start, fetched with the wasm (a guess: the
// wasm decides which language is shown, and a wrong guess costs one more
// file), unless a stored choice means that no banner is likely to be needed.
const koekjeWords = new Map();
// Written out, so that bundlers see each file (and emit it beside the wasm).
const koekjeWordsUrl = {
  nl: () => new URL('koekje-texts-nl.txt', import.meta.url),
  fr: () => new URL('koekje-texts-fr.txt', import.meta.url),
  de: () => new URL('koekje-texts-de.txt', import.meta.url),
  en: () => new URL('koekje-texts-en.txt', import.meta.url),
};
function koekjeFetchWords(lang) {
  if (!koekjeWords.has(lang)) {
    const url = koekjeWordsUrl[lang]();
    const get = (cache) => fetch(url, { cache }).then(async (r) => {
      const text = r.ok ? await r.text() : '';
      if (!r.ok) throw new Error('HTTP ' + r.status);
      if (!text.startsWith(koekjeBuild + '\n')) throw new Error('of another build');
      return text.slice(koekjeBuild.length + 1);
    });
    // Once more past the browser's cache (a stale copy of the file, a
    // passing network error), then never again this page view.
    koekjeWords.set(lang, get('default').catch(() => get('reload')).catch((e) => {
      console.error('koekje: ' + url + ' could not be loaded (' + e.message + '): the banner and the preferences cannot be shown in this language; scripts that need consent stay blocked');
      return null;
    }));
  }
  return koekjeWords.get(lang);
}
function koekjeTexts(lang) {
  koekjeFetchWords(lang).then((words) => words !== null && koekje__texts(lang, words));
}
function koekjeGuessWords() {
  try {
    if (localStorage.getItem('koekje') !== null) return;
  } catch (e) { /* no storage: a banner is likely */ }
  const guess = [koekjeGet('documentElement').lang, ...(navigator.languages || [])]
    .map((tag) => (tag || '').split('-')[0].toLowerCase()).find((lang) => Object.hasOwn(koekjeWordsUrl, lang));
  if (guess) koekjeFetchWords(guess);
  return guess;
}
async function koekjeStart() {
  if (koekjeGet('readyState') === 'loading') {
    await new Promise((r) => EventTarget.prototype.addEventListener.call(document, 'DOMContentLoaded', r, { once: true }));
  }
  koekjeUnclobber();
  // Only real script elements: a clobbered `document.scripts` could hold images.
  const scripts = [...koekjeGet('scripts')].filter((s) => s instanceof HTMLScriptElement);
  const tag = koekjeOwnTag(scripts);
  const inline = koekjeInline(tag);
  const wasmUrl = new URL('koekje_bg.wasm', import.meta.url);
  const guess = koekjeGuessWords();
  const [[text, source, loadError]] = await Promise.all([
    koekjeConfig(tag, inline),
    __wbg_init(fetch(wasmUrl, koekjeWasmIntegrity.startsWith('sha') ? { integrity: koekjeWasmIntegrity } : {})),
  ]);
  koekjeLive = { show: koekje_show, showPreferences: koekje_showPreferences, hide: koekje_hide, acceptAll: koekje_acceptAll, rejectAll: koekje_rejectAll, accept: koekje_accept, accepted: koekje_accepted, consent: koekje_consent, reset: koekje_reset, setLanguage: koekje_setLanguage };
  addEventListener('koekje:ready', (e) => koekjeDataLayer(e.detail));
  addEventListener('koekje:consent', (e) => koekjeDataLayer(e.detail));
  const [nonce, nonces] = koekjeNonce(scripts, tag, inline);
  // The guessed words go in first, so that the start shows the banner.
  const words = guess && (await koekjeFetchWords(guess));
  if (words) koekje__texts(guess, words);
  // The start is split: the first task reads the config and the stored
  // choice and shows the banner (or asks for its words); the rest (clean-up, releases, the page
  // watcher, `koekje:ready`) follows in a later task, after the browser has
  // painted the banner (or at once when there is none to show), so that no
  // one long task holds up the page on a slow phone. A hidden tab paints
  // no frames: then a timer goes on.
  if (koekje__start(text, source, nonce, nonces, loadError, { policy: koekjePolicy(), build: koekjeBuild, hash: koekjeHash, send: koekjeSend, resolve: koekjeResolve, texts: koekjeTexts, style: (root) => koekjeStyle(root, nonce) })) {
    await new Promise((painted) => {
      requestAnimationFrame(() => setTimeout(painted));
      setTimeout(painted, 100);
    });
  }
  koekje__resume();
  // A page restored from the back/forward cache kept its state while the
  // visitor withdrew or changed their choice on another page (no storage
  // event reaches it, nor a cookie-only change): the wasm reads the stored
  // choice again.
  addEventListener('pageshow', (e) => e.persisted && koekje__restored());
  // Debug view for admins (README "For admins"): only with ?koekje-debug in
  // the address or a `koekje-debug` key in localStorage is koekje-debug.js
  // loaded (with the checker wasm); visitors get only this test.
  try {
    if (/[?&]koekje-debug\b/.test(location.search) || localStorage.getItem('koekje-debug') != null)
      import(/* @vite-ignore */ new URL('koekje-debug.js', import.meta.url)).then((m) => m.show({ text, source, loadError }));
  } catch (e) {}
}
if (typeof window === 'undefined' || typeof document === 'undefined') {
  // Not a browser (server-side rendering): nothing to start.
  koekjeSettle(null);
} else {
  const running = window[koekjeKey];
  if (running instanceof Promise) {
    // Another copy of this file (under another URL: koekje.js?v=2, or a
    // bundler's copy) started Koekje: this copy's exports use its API.
    running.then((api) => {
      if (api) koekjeLive = api;
      koekjeSettle(api ? api.consent() : null);
    });
  } else {
    if (running !== undefined) console.error('koekje: window[Symbol.for("koekje")] was set by something else; Koekje starts anyway and takes it over');
    let started;
    try {
      Object.defineProperty(window, koekjeKey, { value: new Promise((r) => (started = r)), configurable: true });
    } catch (e) {
      console.error('koekje: window[Symbol.for("koekje")] cannot be set (' + e + '); Koekje starts anyway, but a second copy would not find it');
    }
    try {
      window.koekje = koekjeApi;
    } catch (e) {
      // Read-only (set by something else): the module's exports still work.
    }
    if (window.koekje !== koekjeApi) console.error('koekje: window.koekje is taken by something else and cannot be replaced; use the module\'s exports');
    koekjeStart().then(
      () => koekjeSettle(koekjeLive ? koekjeLive.consent() : null),
      (e) => {
        koekjeLive = null;
        console.error('koekje: could not start (' + e + '); scripts that need consent stay blocked');
        koekjeSettle(null);
      },
    ).then(() => started && started(koekjeLive && Object.assign({ build: koekjeBuild }, koekjeLive)));
  }
}
