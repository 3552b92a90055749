
// ---- Koekje loader (appended to the wasm-bindgen glue by scripts/build.sh) ----
// Finds the config (an inline <script type="application/json"
// id="koekje-config"> in the head or before Koekje's tag, or the data-config
// URL on Koekje's tag), loads the wasm and the config in parallel, then
// starts. If anything fails, held scripts simply stay held: nothing
// non-essential runs. Koekje trusts its own tag and the head, nothing else
// in the page.
const koekjeKey = Symbol.for('koekje');
// Koekje's own tag: the one this module came from; else (the module was
// redirected, or imported by another) one named koekje.js, else a module
// tag with a data-config. Page content cannot add a script (sanitisers
// drop them), so a <script> is trusted here.
const koekjeScripts = [...document.scripts];
const koekjeTag =
  koekjeScripts.find((s) => s.src === import.meta.url) ||
  koekjeScripts.find((s) => /\/koekje\.js([?#]|$)/.test(s.src)) ||
  koekjeScripts.find((s) => s.type === 'module' && s.hasAttribute('data-config'));
// How an element is named in the console.
const koekjeName = (el) => '<' + el.localName + (el.type ? ' type="' + el.type + '"' : '') + ' id="koekje-config">';
// The inline config: only a <script type="application/json"> that stands in
// the head or before Koekje's own tag counts; any other element with that
// id (page content can carry any id) is ignored and named.
function koekjeInline() {
  let found = null;
  for (const el of document.querySelectorAll('[id="koekje-config"]')) {
    const placed = document.head.contains(el) || (koekjeTag && el.compareDocumentPosition(koekjeTag) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (!found && el.localName === 'script' && el.type.trim().toLowerCase() === 'application/json' && placed) found = el;
    else console.error('koekje: ' + koekjeName(el) + ': ignored; only a <script type="application/json" id="koekje-config"> in the <head> or before Koekje\'s script tag is read');
  }
  return found;
}
async function koekjeConfig(inline) {
  const url = koekjeTag && koekjeTag.dataset.config;
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
function koekjeNonce(inline) {
  const head = [...document.head.querySelectorAll('script')].find((s) => s.nonce);
  const nonce = (koekjeTag && koekjeTag.nonce) || (inline && inline.nonce) || (head && head.nonce) || '';
  return [nonce, koekjeScripts.some((s) => s.nonce)];
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
// Set by scripts/build.sh: a hash of the wasm this glue was built with.
const koekjeBuild = 'KOEKJE_BUILD';
const koekjeRunning = window[koekjeKey];
if (koekjeRunning instanceof Promise) {
  // Another copy of this file (under another URL: koekje.js?v=2) started
  // Koekje. If it is the same build, this copy's exports use its wasm, so
  // they answer too; another build's wasm has other export names.
  const running = await koekjeRunning;
  if (running && running.build === koekjeBuild) wasm = running.wasm;
  else console.error('koekje: ' + import.meta.url + ': another build of Koekje is running here; use window.koekje, not this copy\'s exports');
} else {
  if (koekjeRunning !== undefined) console.error('koekje: window[Symbol.for("koekje")] was set by something else; Koekje starts anyway and takes it over');
  let started;
  try {
    Object.defineProperty(window, koekjeKey, { value: new Promise((r) => (started = r)), configurable: true });
  } catch (e) {
    console.error('koekje: window[Symbol.for("koekje")] cannot be set (' + e + '); Koekje starts anyway, but a second copy would not find it');
  }
  if (document.readyState === 'loading') {
    await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
  }
  try {
    const inline = koekjeInline();
    const [[text, source, loadError]] = await Promise.all([koekjeConfig(inline), __wbg_init()]);
    const api = Object.freeze({ show, showPreferences, hide, acceptAll, rejectAll, accept, accepted, consent, reset, setLanguage });
    try {
      window.koekje = api;
    } catch (e) {
      // Read-only (set by something else): the module's exports still work.
    }
    if (window.koekje !== api) console.error('koekje: window.koekje is taken by something else and cannot be replaced; use the module\'s exports');
    const [nonce, nonces] = koekjeNonce(inline);
    _start(text, source, nonce, nonces, loadError, koekjePolicy());
    // Debug view for admins (README "For admins"): only with ?koekje-debug in
    // the address or a `koekje-debug` key in localStorage is koekje-debug.js
    // loaded (with the checker wasm); visitors get only this test.
    try {
      if (/[?&]koekje-debug\b/.test(location.search) || localStorage.getItem('koekje-debug') != null)
        import(new URL('koekje-debug.js', import.meta.url)).then((m) => m.show({ text, source, loadError }));
    } catch (e) {}
  } catch (e) {
    console.error('koekje: could not start (' + e + '); scripts that need consent stay blocked');
  }
  if (started) started({ wasm, build: koekjeBuild });
}
