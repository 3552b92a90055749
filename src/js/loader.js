
// ---- Koekje loader (appended to the wasm-bindgen glue by scripts/build.sh) ----
// Finds the config (inline #koekje-config, or the data-config URL on this
// script tag), loads the wasm and the config in parallel, then starts.
// If anything fails, held scripts simply stay held: nothing non-essential runs.
const koekjeKey = Symbol.for('koekje');
const koekjeTag = [...document.scripts].find((s) => s.src === import.meta.url);
async function koekjeConfig() {
  const url = koekjeTag && koekjeTag.dataset.config;
  if (url) {
    try {
      const response = await fetch(url, { credentials: 'same-origin' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return [await response.text(), url];
    } catch (e) {
      console.error('koekje: config from "' + url + '": could not be loaded (' + e.message + '); the default configuration applies');
      return [null, url];
    }
  }
  const inline = document.getElementById('koekje-config');
  return [inline ? inline.textContent : null, '#koekje-config'];
}
if (!window[koekjeKey]) {
  window[koekjeKey] = true;
  if (document.readyState === 'loading') {
    await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
  }
  try {
    const [[text, source]] = await Promise.all([koekjeConfig(), __wbg_init()]);
    window.koekje = Object.freeze({ show, showPreferences, hide, acceptAll, rejectAll, accept, accepted, consent, reset, setLanguage });
    _start(text, source, (koekjeTag && koekjeTag.nonce) || '');
  } catch (e) {
    console.error('koekje: could not start (' + e + '); scripts that need consent stay blocked');
  }
}
