// Koekje's debug view for admins: loaded by koekje.js only when the address
// has ?koekje-debug or localStorage has a `koekje-debug` key (never for other
// visitors). A small panel shows the config's problems (the checker wasm:
// the banner's own validation), where the config came from, the language
// chosen and why, the stored record, and every held element with its state.
// It reads the page and Koekje's API; it changes nothing. Any visitor can
// open it with a link, so it shows nothing the page does not already give
// every visitor, and its only controls are Refresh and Close (README, "The
// debug view"; tests/e2e/debug.spec.js): no action on consent or storage.
import init, { check, language } from './check/koekje_check.js';

const WHY = {
  config: 'the config\'s "language"',
  page: 'the page\'s <html lang>',
  browser: 'the browser\'s languages',
  default: 'the config\'s "defaultLanguage"',
  fallback: 'English: nothing else has texts',
};

let panel = null;

function el(tag, text, style = {}) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  Object.assign(e.style, style);
  return e;
}

/** What Koekje did with a held (or released) element, and why. */
function stateOf(e) {
  const category = e.getAttribute('data-category') || '';
  const service = e.getAttribute('data-service') || null;
  const api = window.koekje;
  if (e.hasAttribute('data-koekje-released')) return ['released', 'allowed'];
  if (e.hasAttribute('data-koekje-refused')) return ['refused', 'never runs: the reason is in the console'];
  const allowed = api ? api.accepted(category, service || undefined) : false;
  if (allowed) return ['held', 'allowed, waiting for an earlier script to load'];
  return ['held', service ? `no consent for ${service} (${category})` : `no consent for ${category}`];
}

function describe(e) {
  let d = '<' + e.localName;
  for (const a of ['data-category', 'data-service', 'data-src', 'src']) {
    if (e.hasAttribute(a)) d += ` ${a}="${e.getAttribute(a)}"`;
  }
  return d + '>';
}

function section(body, title) {
  body.append(el('h3', title, { font: 'bold 13px system-ui, sans-serif', margin: '10px 0 4px' }));
}

function render(loaded) {
  const { text, source, loadError } = loaded;
  const body = panel.querySelector('[data-koekje-debug-body]');
  body.replaceChildren();
  const mono = { font: '12px ui-monospace, monospace', margin: '2px 0', whiteSpace: 'pre-wrap', wordBreak: 'break-word' };

  section(body, 'Config');
  let from;
  if (loadError) from = `${source}: could not be loaded (${loadError})`;
  else if (text == null) from = 'none: the built-in config';
  else from = source === '#koekje-config' ? 'inline <script id="koekje-config">' : `data-config: ${source}`;
  body.append(el('p', from, mono));
  const report = text == null ? { problems: [] } : JSON.parse(check(text, source));
  const list = el('ul', undefined, { margin: '0', paddingLeft: '18px' });
  list.setAttribute('data-koekje-debug', 'problems');
  for (const p of report.problems) list.append(el('li', p.line.replace(/^koekje: /, ''), { ...mono, color: '#fca5a5' }));
  if (loadError) list.append(el('li', 'the built-in categories apply, none required', { ...mono, color: '#fca5a5' }));
  body.append(report.problems.length || loadError ? list : el('p', 'no problems', mono));

  section(body, 'Language');
  const browser = [...(navigator.languages || [])];
  const page = document.documentElement.getAttribute('lang');
  const chosen = JSON.parse(language(text == null || loadError ? '{}' : text, page, browser));
  const shown = window.koekje && window.koekje.consent() ? window.koekje.consent().language : chosen.language;
  const lang = el('p', `${chosen.language}, from ${WHY[chosen.why]} (page: ${page || 'none'}; browser: ${browser.join(', ') || 'none'})`, mono);
  lang.setAttribute('data-koekje-debug', 'language');
  body.append(lang);
  if (shown !== chosen.language) body.append(el('p', `the stored choice was made in ${shown}`, mono));

  section(body, 'Stored record');
  const record = window.koekje ? window.koekje.consent() : null;
  const rec = el('pre', record ? JSON.stringify(record, null, 1) : 'none: the banner asks', { ...mono, maxHeight: '10em', overflow: 'auto' });
  rec.setAttribute('data-koekje-debug', 'record');
  body.append(rec);

  section(body, 'Held elements');
  const held = [...document.querySelectorAll('script[data-category], iframe[data-category]')];
  const rows = el('ul', undefined, { margin: '0', paddingLeft: '18px' });
  rows.setAttribute('data-koekje-debug', 'elements');
  for (const e of held) {
    const [state, why] = stateOf(e);
    const li = el('li', `${state}: ${describe(e)} (${why})`, mono);
    li.setAttribute('data-state', state);
    rows.append(li);
  }
  body.append(held.length ? rows : el('p', 'none on this page', mono));
}

/** Shows the panel (called by the loader with what it read). */
export async function show(loaded) {
  await init({ module_or_path: new URL('./check/koekje_check_bg.wasm', import.meta.url) });
  panel = el('div', undefined, {
    position: 'fixed', left: '8px', top: '8px', zIndex: '2147483647', width: 'min(30rem, calc(100vw - 16px))',
    maxHeight: 'calc(100vh - 16px)', overflow: 'auto', background: '#1c1917', color: '#f5f5f4',
    font: '13px/1.4 system-ui, sans-serif', padding: '8px 12px', borderRadius: '6px', boxShadow: '0 2px 12px #0006',
  });
  panel.id = 'koekje-debug';
  panel.setAttribute('role', 'region');
  panel.setAttribute('aria-label', 'Koekje debug view');
  const head = el('div', undefined, { display: 'flex', gap: '8px', alignItems: 'center' });
  head.append(el('strong', 'Koekje debug', { flex: '1' }));
  const button = (label, onclick) => {
    const b = el('button', label, { font: 'inherit', padding: '2px 8px', cursor: 'pointer' });
    b.type = 'button';
    b.addEventListener('click', onclick);
    head.append(b);
  };
  button('Refresh', () => render(loaded));
  button('Close', () => panel.remove());
  const body = el('div');
  body.setAttribute('data-koekje-debug-body', '');
  panel.append(head, body);
  document.body.append(panel);
  render(loaded);
  // The record and the elements change with every choice.
  for (const type of ['koekje:consent', 'koekje:ready']) addEventListener(type, () => setTimeout(() => panel.isConnected && render(loaded)));
  new MutationObserver(() => panel.isConnected && !panel.contains(document.activeElement) && render(loaded)).observe(document.body, { subtree: true, attributeFilter: ['data-koekje-released', 'data-koekje-refused'] });
}
