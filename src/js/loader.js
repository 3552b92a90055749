
// ---- Koekje loader (appended to the wasm-bindgen glue by scripts/build.sh) ----
// Finds the config (inline #koekje-config, or the data-config URL on this
// script tag), loads the wasm and the config in parallel, then starts.
// If anything fails, held scripts simply stay held: nothing non-essential runs.
const koekjeKey = Symbol.for('koekje');
// Koekje's own tag: the one this module came from; else (the module was
// redirected, or imported by another) one named koekje.js, else a module
// tag with a data-config.
const koekjeScripts = [...document.scripts];
const koekjeTag =
  koekjeScripts.find((s) => s.src === import.meta.url) ||
  koekjeScripts.find((s) => /\/koekje\.js([?#]|$)/.test(s.src)) ||
  document.querySelector('script[type=module][data-config]');
async function koekjeConfig() {
  const url = koekjeTag && koekjeTag.dataset.config;
  const inline = document.getElementById('koekje-config');
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
// Set by scripts/build.sh: a hash of the wasm this glue was built with.
const koekjeBuild = 'KOEKJE_BUILD';
if (window[koekjeKey]) {
  // Another copy of this file (under another URL: koekje.js?v=2) started
  // Koekje. If it is the same build, this copy's exports use its wasm, so
  // they answer too; another build's wasm has other export names.
  const running = await window[koekjeKey];
  if (running && running.build === koekjeBuild) wasm = running.wasm;
  else console.error('koekje: ' + import.meta.url + ': another build of Koekje is running here; use window.koekje, not this copy\'s exports');
} else {
  let started;
  window[koekjeKey] = new Promise((r) => (started = r));
  if (document.readyState === 'loading') {
    await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
  }
  try {
    const [[text, source, loadError]] = await Promise.all([koekjeConfig(), __wbg_init()]);
    window.koekje = Object.freeze({ show, showPreferences, hide, acceptAll, rejectAll, accept, accepted, consent, reset, setLanguage });
    _start(text, source, (koekjeTag && koekjeTag.nonce) || '', loadError);
  } catch (e) {
    console.error('koekje: could not start (' + e + '); scripts that need consent stay blocked');
  }
  started({ wasm, build: koekjeBuild });
}
