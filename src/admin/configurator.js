// Koekje's configurator (www/configurator.html, shipped as dist/configurator.html):
// a form that builds the config, the problems beside each field (the
// checker wasm: the banner's own validation and messages), a live preview
// with the visitor's own koekje.js and koekje.css, import and export. It
// sends nothing anywhere.
import init, { initSync, check, builtIn } from './check/koekje_check.js';

const here = new URL('.', import.meta.url);
const KOEKJE_JS = new URL('koekje.js', here).href;
const KOEKJE_CSS = new URL('koekje.css', here).href;
/** Set by configurator-standalone.html (the page opened from disk). */
const standalone = window.koekjeStandalone;

// The page's own words, in the four languages Koekje has built in.
const UI = {
  en: {
    title: 'Koekje configurator', intro: 'Build or edit your Koekje config. Everything stays in this page: nothing is sent anywhere.',
    uiLanguage: 'Language of this page', formTitle: 'Config', loading: 'Loading…', preview: 'Preview', previewFrame: 'Preview of the banner',
    import: 'Import', paste: 'Paste a config (JSON)', load: 'Load pasted JSON', open: 'Open a file', scratch: 'Start from scratch',
    site: 'Site', languages: 'Languages of the site', addLanguage: 'Other language (code)', add: 'Add',
    defaultLanguage: 'Default language', forceLanguage: 'Always show this language', none: '(none)', privacyPolicy: 'Privacy policy address',
    revision: 'Revision', raise: 'Raise the revision to {n}', raiseWhy: 'The purposes changed (categories, services or cookies). Visitors who already chose were asked about the old ones: raising the revision asks every visitor again on their next page view. Their earlier choice stops counting, and what it allowed is deleted until they choose again. Raise it when you publish this config.',
    expiryDays: 'Days a choice is kept (1–395)', layout: 'Layout', theme: 'Theme', blocking: 'The banner blocks the page until the visitor chooses', reload: 'Reload the page after a withdrawal',
    categories: 'Categories', category: 'Category', id: 'Id', required: 'Required (always on, never asked)', titleField: 'Title', description: 'Description',
    storage: 'Storage keys removed on withdrawal (comma-separated, * wildcards)', cookies: 'Cookies', cookie: 'Cookie', name: 'Name', provider: 'Provider', purpose: 'Purpose', duration: 'Kept for',
    services: 'Services', service: 'Service', addCategory: 'Add a category', addCookie: 'Add a cookie', addService: 'Add a service', remove: 'Remove', up: 'Move up',
    allLanguages: 'all languages', perLanguage: 'Translate per language', sameEverywhere: 'Same text in every language',
    consentMode: 'Google Consent Mode', mode: 'Mode', basic: 'basic (recommended: the Google tag waits for consent)', advanced: 'advanced (the tag loads at once, signals denied)',
    signals: 'Signal granted when these categories are accepted (comma-separated)', googleServices: 'Services that are the Google tag (comma-separated)',
    texts: 'Interface texts', textsIn: 'Texts in {lang}', builtInHint: 'Empty: the built-in text (shown greyed) applies.',
    problems: 'Problems', noProblems: 'No problems.', nProblems: '{n} problems', oneProblem: '1 problem', missingIn: 'Missing in {lang}: {n}',
    export: 'Export', json: 'The config (JSON)', download: 'Download config.json', copy: 'Copy', copied: 'Copied', snippet: 'Embed snippet (the config in the page)',
    snippetFile: 'Or as a file (put config.json on your site)', previewLanguage: 'Language', previewLayout: 'Layout', previewTheme: 'Theme', view: 'Show',
    asConfigured: 'as configured', banner: 'banner', preferences: 'preferences dialog', notJson: 'Not loaded:',
  },
  nl: {
    title: 'Koekje-configurator', intro: 'Stel uw Koekje-configuratie op of pas ze aan. Alles blijft in deze pagina: er wordt niets verstuurd.',
    uiLanguage: 'Taal van deze pagina', formTitle: 'Configuratie', loading: 'Laden…', preview: 'Voorbeeld', previewFrame: 'Voorbeeld van de banner',
    import: 'Importeren', paste: 'Plak een configuratie (JSON)', load: 'Geplakte JSON laden', open: 'Een bestand openen', scratch: 'Van nul beginnen',
    site: 'Website', languages: 'Talen van de website', addLanguage: 'Andere taal (code)', add: 'Toevoegen',
    defaultLanguage: 'Standaardtaal', forceLanguage: 'Altijd deze taal tonen', none: '(geen)', privacyPolicy: 'Adres van het privacybeleid',
    revision: 'Revisie', raise: 'Revisie verhogen naar {n}', raiseWhy: 'De doeleinden zijn gewijzigd (categorieën, diensten of cookies). Bezoekers die al kozen, kregen de vraag over de oude: een hogere revisie vraagt elke bezoeker opnieuw bij het volgende paginabezoek. Hun eerdere keuze telt dan niet meer en wat ze toestond wordt verwijderd tot ze opnieuw kiezen. Verhoog ze wanneer u deze configuratie publiceert.',
    expiryDays: 'Dagen dat een keuze bewaard wordt (1–395)', layout: 'Opmaak', theme: 'Thema', blocking: 'De banner blokkeert de pagina tot de bezoeker kiest', reload: 'De pagina herladen na een intrekking',
    categories: 'Categorieën', category: 'Categorie', id: 'Id', required: 'Noodzakelijk (altijd aan, nooit gevraagd)', titleField: 'Titel', description: 'Beschrijving',
    storage: 'Opslagsleutels die bij intrekking verwijderd worden (komma-gescheiden, * als joker)', cookies: 'Cookies', cookie: 'Cookie', name: 'Naam', provider: 'Aanbieder', purpose: 'Doel', duration: 'Bewaartermijn',
    services: 'Diensten', service: 'Dienst', addCategory: 'Categorie toevoegen', addCookie: 'Cookie toevoegen', addService: 'Dienst toevoegen', remove: 'Verwijderen', up: 'Omhoog',
    allLanguages: 'alle talen', perLanguage: 'Per taal vertalen', sameEverywhere: 'Dezelfde tekst in elke taal',
    consentMode: 'Google Consent Mode', mode: 'Modus', basic: 'basic (aanbevolen: de Google-tag wacht op toestemming)', advanced: 'advanced (de tag laadt meteen, signalen geweigerd)',
    signals: 'Signaal toegestaan als deze categorieën aanvaard zijn (komma-gescheiden)', googleServices: 'Diensten die de Google-tag zijn (komma-gescheiden)',
    texts: 'Teksten van de interface', textsIn: 'Teksten in {lang}', builtInHint: 'Leeg: de ingebouwde tekst (grijs getoond) geldt.',
    problems: 'Problemen', noProblems: 'Geen problemen.', nProblems: '{n} problemen', oneProblem: '1 probleem', missingIn: 'Ontbreekt in {lang}: {n}',
    export: 'Exporteren', json: 'De configuratie (JSON)', download: 'config.json downloaden', copy: 'Kopiëren', copied: 'Gekopieerd', snippet: 'Insluitcode (de configuratie in de pagina)',
    snippetFile: 'Of als bestand (zet config.json op uw website)', previewLanguage: 'Taal', previewLayout: 'Opmaak', previewTheme: 'Thema', view: 'Tonen',
    asConfigured: 'zoals ingesteld', banner: 'banner', preferences: 'voorkeurenvenster', notJson: 'Niet geladen:',
  },
  fr: {
    title: 'Configurateur Koekje', intro: 'Créez ou modifiez votre configuration Koekje. Tout reste dans cette page : rien n\'est envoyé nulle part.',
    uiLanguage: 'Langue de cette page', formTitle: 'Configuration', loading: 'Chargement…', preview: 'Aperçu', previewFrame: 'Aperçu de la bannière',
    import: 'Importer', paste: 'Collez une configuration (JSON)', load: 'Charger le JSON collé', open: 'Ouvrir un fichier', scratch: 'Partir de zéro',
    site: 'Site', languages: 'Langues du site', addLanguage: 'Autre langue (code)', add: 'Ajouter',
    defaultLanguage: 'Langue par défaut', forceLanguage: 'Toujours afficher cette langue', none: '(aucune)', privacyPolicy: 'Adresse de la politique de confidentialité',
    revision: 'Révision', raise: 'Passer la révision à {n}', raiseWhy: 'Les finalités ont changé (catégories, services ou cookies). Les visiteurs qui ont déjà choisi ont été interrogés sur les anciennes : une révision plus élevée interroge à nouveau chaque visiteur à sa prochaine page. Son choix précédent ne compte plus, et ce qu\'il autorisait est supprimé jusqu\'à son nouveau choix. Augmentez-la en publiant cette configuration.',
    expiryDays: 'Jours de conservation d\'un choix (1–395)', layout: 'Disposition', theme: 'Thème', blocking: 'La bannière bloque la page jusqu\'au choix du visiteur', reload: 'Recharger la page après un retrait',
    categories: 'Catégories', category: 'Catégorie', id: 'Id', required: 'Nécessaire (toujours actif, jamais demandé)', titleField: 'Titre', description: 'Description',
    storage: 'Clés de stockage supprimées au retrait (séparées par des virgules, * comme joker)', cookies: 'Cookies', cookie: 'Cookie', name: 'Nom', provider: 'Fournisseur', purpose: 'Finalité', duration: 'Durée de conservation',
    services: 'Services', service: 'Service', addCategory: 'Ajouter une catégorie', addCookie: 'Ajouter un cookie', addService: 'Ajouter un service', remove: 'Supprimer', up: 'Monter',
    allLanguages: 'toutes les langues', perLanguage: 'Traduire par langue', sameEverywhere: 'Même texte dans toutes les langues',
    consentMode: 'Google Consent Mode', mode: 'Mode', basic: 'basic (recommandé : la balise Google attend le consentement)', advanced: 'advanced (la balise se charge tout de suite, signaux refusés)',
    signals: 'Signal accordé quand ces catégories sont acceptées (séparées par des virgules)', googleServices: 'Services qui sont la balise Google (séparés par des virgules)',
    texts: 'Textes de l\'interface', textsIn: 'Textes en {lang}', builtInHint: 'Vide : le texte intégré (affiché en gris) s\'applique.',
    problems: 'Problèmes', noProblems: 'Aucun problème.', nProblems: '{n} problèmes', oneProblem: '1 problème', missingIn: 'Manque en {lang} : {n}',
    export: 'Exporter', json: 'La configuration (JSON)', download: 'Télécharger config.json', copy: 'Copier', copied: 'Copié', snippet: 'Code d\'intégration (la configuration dans la page)',
    snippetFile: 'Ou comme fichier (placez config.json sur votre site)', previewLanguage: 'Langue', previewLayout: 'Disposition', previewTheme: 'Thème', view: 'Afficher',
    asConfigured: 'comme configuré', banner: 'bannière', preferences: 'fenêtre des préférences', notJson: 'Non chargé :',
  },
  de: {
    title: 'Koekje-Konfigurator', intro: 'Erstellen oder bearbeiten Sie Ihre Koekje-Konfiguration. Alles bleibt auf dieser Seite: Nichts wird irgendwohin gesendet.',
    uiLanguage: 'Sprache dieser Seite', formTitle: 'Konfiguration', loading: 'Wird geladen…', preview: 'Vorschau', previewFrame: 'Vorschau des Banners',
    import: 'Importieren', paste: 'Konfiguration einfügen (JSON)', load: 'Eingefügtes JSON laden', open: 'Datei öffnen', scratch: 'Neu beginnen',
    site: 'Website', languages: 'Sprachen der Website', addLanguage: 'Weitere Sprache (Code)', add: 'Hinzufügen',
    defaultLanguage: 'Standardsprache', forceLanguage: 'Immer diese Sprache zeigen', none: '(keine)', privacyPolicy: 'Adresse der Datenschutzerklärung',
    revision: 'Revision', raise: 'Revision auf {n} erhöhen', raiseWhy: 'Die Zwecke haben sich geändert (Kategorien, Dienste oder Cookies). Besucher, die schon gewählt haben, wurden nach den alten gefragt: Eine höhere Revision fragt jeden Besucher beim nächsten Seitenaufruf erneut. Die frühere Wahl zählt dann nicht mehr, und was sie erlaubte, wird gelöscht, bis neu gewählt wird. Erhöhen Sie sie, wenn Sie diese Konfiguration veröffentlichen.',
    expiryDays: 'Tage, die eine Wahl gespeichert bleibt (1–395)', layout: 'Layout', theme: 'Farbschema', blocking: 'Das Banner sperrt die Seite, bis der Besucher wählt', reload: 'Seite nach einem Widerruf neu laden',
    categories: 'Kategorien', category: 'Kategorie', id: 'Id', required: 'Notwendig (immer aktiv, nie gefragt)', titleField: 'Titel', description: 'Beschreibung',
    storage: 'Speicherschlüssel, die beim Widerruf gelöscht werden (durch Kommas getrennt, * als Platzhalter)', cookies: 'Cookies', cookie: 'Cookie', name: 'Name', provider: 'Anbieter', purpose: 'Zweck', duration: 'Speicherdauer',
    services: 'Dienste', service: 'Dienst', addCategory: 'Kategorie hinzufügen', addCookie: 'Cookie hinzufügen', addService: 'Dienst hinzufügen', remove: 'Entfernen', up: 'Nach oben',
    allLanguages: 'alle Sprachen', perLanguage: 'Pro Sprache übersetzen', sameEverywhere: 'Gleicher Text in allen Sprachen',
    consentMode: 'Google Consent Mode', mode: 'Modus', basic: 'basic (empfohlen: das Google-Tag wartet auf die Einwilligung)', advanced: 'advanced (das Tag lädt sofort, Signale abgelehnt)',
    signals: 'Signal erteilt, wenn diese Kategorien akzeptiert sind (durch Kommas getrennt)', googleServices: 'Dienste, die das Google-Tag sind (durch Kommas getrennt)',
    texts: 'Texte der Oberfläche', textsIn: 'Texte auf {lang}', builtInHint: 'Leer: Der eingebaute Text (grau gezeigt) gilt.',
    problems: 'Probleme', noProblems: 'Keine Probleme.', nProblems: '{n} Probleme', oneProblem: '1 Problem', missingIn: 'Fehlt auf {lang}: {n}',
    export: 'Exportieren', json: 'Die Konfiguration (JSON)', download: 'config.json herunterladen', copy: 'Kopieren', copied: 'Kopiert', snippet: 'Einbettungscode (die Konfiguration in der Seite)',
    snippetFile: 'Oder als Datei (legen Sie config.json auf Ihre Website)', previewLanguage: 'Sprache', previewLayout: 'Layout', previewTheme: 'Farbschema', view: 'Zeigen',
    asConfigured: 'wie konfiguriert', banner: 'Banner', preferences: 'Einstellungsdialog', notJson: 'Nicht geladen:',
  },
};
let uiLang = ['nl', 'fr', 'de'].find((l) => (navigator.language || 'en').toLowerCase().startsWith(l)) || 'en';
const t = (key, vars = {}) => (UI[uiLang][key] || UI.en[key]).replace(/\{(\w+)\}/g, (_, k) => vars[k]);

// ---- state ----
/** The config being edited: plain JSON data, unknown keys kept (and reported). */
let config = { revision: 1, categories: [] };
/** The languages the site is written in (drives the per-language inputs). */
let siteLangs = ['en'];
/** What the purposes were when the config was loaded, and its revision. */
let baseline = { signature: '', revision: 1 };
const preview = { lang: '', layout: '', theme: '', view: 'banner' };
/** The core's built-in languages, words and Consent Mode defaults (the checker's `builtIn()`). */
let built = null;
let report = { problems: [], languages: [] };

const form = () => document.getElementById('kc-form');

// ---- small DOM helpers ----
let uid = 0;
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'value') e.value = v;
    else if (k === 'checked') e.checked = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}
/** A list for the problems of `path`, placed beside its field. */
function problemList(path) {
  return el('ul', { class: 'kc-problems', 'data-problems': path, id: 'kc-p' + ++uid, role: 'list' });
}
/** A labelled input bound to get/set; its problems listed under it. */
function input(label, path, get, set, { type = 'text', placeholder, list } = {}) {
  const id = 'kc-f' + ++uid;
  const problems = problemList(path);
  const value = get();
  const inp = el('input', { id, type, placeholder, 'data-path': path, 'aria-describedby': problems.id, list,
    value: value === undefined ? '' : String(value),
    oninput: (e) => { set(e.target.value); changed(); } });
  return el('div', { class: 'kc-field', 'data-field': path }, el('label', { for: id, text: label }), inp, problems);
}
function checkbox(label, path, get, set) {
  const id = 'kc-f' + ++uid;
  const problems = problemList(path);
  const box = el('input', { id, type: 'checkbox', 'data-path': path, 'aria-describedby': problems.id, checked: !!get(),
    onchange: (e) => { set(e.target.checked); changed(true); } });
  return el('div', { class: 'kc-field kc-check', 'data-field': path }, box, el('label', { for: id, text: label }), problems);
}
function select(label, path, options, get, set) {
  const id = 'kc-f' + ++uid;
  const problems = problemList(path);
  const s = el('select', { id, 'data-path': path, 'aria-describedby': problems.id, onchange: (e) => { set(e.target.value); changed(true); } });
  for (const [value, text] of options) s.append(el('option', { value, text }));
  s.value = get() ?? '';
  return el('div', { class: 'kc-field', 'data-field': path }, el('label', { for: id, text: label }), s, problems);
}
function button(text, onclick, attrs = {}) {
  return el('button', { type: 'button', class: 'kc-button', text, onclick, ...attrs });
}
function section(title, ...children) {
  const id = 'kc-s' + ++uid;
  return el('section', { class: 'kc-section', 'aria-labelledby': id }, el('h2', { id, text: title }), ...children);
}
/** Sets `obj[key]` to `value`, or deletes it when empty. */
function put(obj, key, value) {
  if (value === '' || value === undefined || (Array.isArray(value) && value.length === 0)) delete obj[key];
  else obj[key] = value;
}
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
const number = (s) => (s.trim() === '' ? undefined : /^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s);

/**
 * A text per language (`{ nl: …, fr: … }`) or one for all (a string): one
 * input per site language, or one input, with a switch between the two.
 */
function localized(label, path, obj, key, { placeholderFor } = {}) {
  const problems = problemList(path);
  const group = el('fieldset', { class: 'kc-localized', 'data-field': path, 'aria-describedby': problems.id },
    el('legend', { text: label }));
  const v = obj[key];
  if (typeof v === 'string') {
    group.append(input(`${label} (${t('allLanguages')})`, path, () => v, (x) => put(obj, key, x)));
    group.append(button(t('perLanguage'), () => {
      const text = obj[key];
      obj[key] = {};
      for (const l of siteLangs) obj[key][l] = text;
      render();
    }));
  } else {
    for (const l of siteLangs) {
      const field = input(`${label} (${l})`, `${path}.${l}`, () => obj[key]?.[l], (x) => {
        const o = typeof obj[key] === 'object' && obj[key] ? obj[key] : {};
        put(o, l, x);
        put(obj, key, Object.keys(o).length ? o : undefined);
      }, { placeholder: placeholderFor?.(l) });
      field.querySelector('input').lang = l;
      group.append(field);
    }
    group.append(button(t('sameEverywhere'), () => {
      const o = obj[key] || {};
      put(obj, key, o[siteLangs[0]] || Object.values(o)[0] || undefined);
      if (obj[key] === undefined) obj[key] = '';
      render();
    }));
  }
  group.append(problems);
  return group;
}

function cookiesEditor(owner, path) {
  owner.cookies = owner.cookies || [];
  const wrap = el('fieldset', { class: 'kc-cookies', 'data-field': `${path}.cookies` }, el('legend', { text: t('cookies') }));
  owner.cookies.forEach((c, i) => {
    const p = `${path}.cookies[${i}]`;
    if (typeof c === 'string') owner.cookies[i] = c = { name: c };
    const box = el('fieldset', { class: 'kc-cookie', 'data-field': p }, el('legend', { text: `${t('cookie')} ${c.name || i + 1}` }),
      input(t('name'), `${p}.name`, () => c.name, (x) => put(c, 'name', x)),
      input(t('provider'), `${p}.provider`, () => c.provider, (x) => put(c, 'provider', x)),
      localized(t('purpose'), `${p}.purpose`, c, 'purpose'),
      localized(t('duration'), `${p}.duration`, c, 'duration'),
      button(`${t('remove')}: ${t('cookie')} ${c.name || i + 1}`, () => { owner.cookies.splice(i, 1); render(); }),
      problemList(p));
    wrap.append(box);
  });
  wrap.append(button(t('addCookie'), () => { owner.cookies.push({ name: '' }); render(`${path}.cookies[${owner.cookies.length - 1}].name`); }),
    problemList(`${path}.cookies`));
  return wrap;
}

function servicesEditor(category, path) {
  category.services = category.services || [];
  const wrap = el('fieldset', { class: 'kc-services', 'data-field': `${path}.services` }, el('legend', { text: t('services') }));
  category.services.forEach((s, i) => {
    const p = `${path}.services[${i}]`;
    wrap.append(el('fieldset', { class: 'kc-service', 'data-field': p }, el('legend', { text: `${t('service')} ${s.id || i + 1}` }),
      input(t('id'), `${p}.id`, () => s.id, (x) => put(s, 'id', x)),
      localized(t('name'), `${p}.name`, s, 'name'),
      cookiesEditor(s, p),
      input(t('storage'), `${p}.storage`, () => (s.storage || []).join(', '), (x) => put(s, 'storage', list(x))),
      button(`${t('remove')}: ${t('service')} ${s.id || i + 1}`, () => { category.services.splice(i, 1); render(); }),
      problemList(p)));
  });
  wrap.append(button(t('addService'), () => { category.services.push({ id: '', name: '' }); render(`${path}.services[${category.services.length - 1}].id`); }),
    problemList(`${path}.services`));
  return wrap;
}

function categoryEditor(c, i) {
  const p = `config.categories[${i}]`;
  const builtIn = (l, what) => built.categories[c.id]?.[l]?.[what];
  return el('fieldset', { class: 'kc-category', 'data-field': p }, el('legend', { text: `${t('category')} ${c.id || i + 1}` }),
    input(t('id'), `${p}.id`, () => c.id, (x) => put(c, 'id', x)),
    checkbox(t('required'), `${p}.required`, () => c.required, (x) => put(c, 'required', x || undefined)),
    localized(t('titleField'), `${p}.title`, c, 'title', { placeholderFor: (l) => builtIn(l, 'title') }),
    localized(t('description'), `${p}.description`, c, 'description', { placeholderFor: (l) => builtIn(l, 'description') }),
    servicesEditor(c, p),
    cookiesEditor(c, p),
    input(t('storage'), `${p}.storage`, () => (c.storage || []).join(', '), (x) => put(c, 'storage', list(x))),
    el('div', { class: 'kc-row' },
      i > 0 ? button(`${t('up')}: ${c.id || i + 1}`, () => { config.categories.splice(i - 1, 0, ...config.categories.splice(i, 1)); render(); }) : null,
      button(`${t('remove')}: ${t('category')} ${c.id || i + 1}`, () => { config.categories.splice(i, 1); render(); })),
    problemList(p));
}

function languagesEditor() {
  const box = el('fieldset', { class: 'kc-languages', 'data-field': 'languages' }, el('legend', { text: t('languages') }));
  const all = [...new Set([...built.languages, ...siteLangs])];
  for (const l of all) {
    const id = 'kc-f' + ++uid;
    box.append(el('span', { class: 'kc-check' },
      el('input', { id, type: 'checkbox', checked: siteLangs.includes(l), 'data-lang': l, onchange: (e) => {
        siteLangs = e.target.checked ? [...siteLangs, l] : siteLangs.filter((x) => x !== l);
        if (siteLangs.length === 0) siteLangs = [l];
        render();
      } }), el('label', { for: id, text: l })));
  }
  const id = 'kc-f' + ++uid;
  const other = el('input', { id, size: 6, pattern: '[a-zA-Z]{2,3}' });
  box.append(el('span', { class: 'kc-inline' }, el('label', { for: id, text: t('addLanguage') }), other,
    button(t('add'), () => {
      const l = other.value.trim().toLowerCase();
      if (/^[a-z]{2,3}$/.test(l) && !siteLangs.includes(l)) { siteLangs.push(l); render(); }
    })));
  return box;
}

function render(focusPath) {
  const f = form();
  const scroll = window.scrollY;
  const active = focusPath || document.activeElement?.dataset?.path;
  f.replaceChildren();
  const langOptions = siteLangs.map((l) => [l, l]);
  // Import
  const pasteId = 'kc-paste';
  const fileId = 'kc-file';
  const importProblems = el('p', { id: 'kc-import-error', class: 'kc-error', role: 'alert' });
  f.append(section(t('import'),
    el('label', { for: pasteId, text: t('paste') }),
    el('textarea', { id: pasteId, rows: 4, spellcheck: 'false' }),
    el('div', { class: 'kc-row' },
      button(t('load'), () => load(document.getElementById(pasteId).value, 'pasted')),
      el('label', { for: fileId, class: 'kc-file-label', text: t('open') }),
      el('input', { id: fileId, type: 'file', accept: '.json,application/json', onchange: async (e) => {
        const file = e.target.files[0];
        if (file) load(await file.text(), file.name);
      } }),
      button(t('scratch'), () => load('{"revision": 1, "categories": []}', 'new'))),
    importProblems));
  // Problems (all of them, missing translations per language)
  f.append(el('section', { class: 'kc-section', 'aria-labelledby': 'kc-problems-title' },
    el('h2', { id: 'kc-problems-title', text: t('problems') }),
    el('p', { id: 'kc-summary', role: 'status' }), el('ul', { id: 'kc-all-problems', role: 'list' }), problemList('config')));
  // Site
  const pp = config.privacyPolicy;
  f.append(section(t('site'),
    languagesEditor(),
    select(t('defaultLanguage'), 'config.defaultLanguage', [['', t('none')], ...langOptions], () => config.defaultLanguage, (x) => put(config, 'defaultLanguage', x)),
    select(t('forceLanguage'), 'config.language', [['', t('none')], ...langOptions], () => config.language, (x) => put(config, 'language', x)),
    localized(t('privacyPolicy'), 'config.privacyPolicy', config, 'privacyPolicy', { placeholderFor: () => '/privacy.html' }),
    el('div', { class: 'kc-row' },
      input(t('revision'), 'config.revision', () => config.revision, (x) => put(config, 'revision', number(x)), { type: 'number' }),
      el('div', { id: 'kc-raise', class: 'kc-notice', hidden: true })),
    input(t('expiryDays'), 'config.expiryDays', () => config.expiryDays, (x) => put(config, 'expiryDays', number(x)), { type: 'number', placeholder: '182' }),
    select(t('layout'), 'config.layout', [['', 'bar'], ['box', 'box']], () => config.layout, (x) => put(config, 'layout', x)),
    select(t('theme'), 'config.theme', [['', 'auto'], ['light', 'light'], ['dark', 'dark']], () => config.theme, (x) => put(config, 'theme', x)),
    checkbox(t('blocking'), 'config.blocking', () => config.blocking, (x) => put(config, 'blocking', x || undefined)),
    checkbox(t('reload'), 'config.reloadOnWithdrawal', () => config.reloadOnWithdrawal !== false, (x) => put(config, 'reloadOnWithdrawal', x ? undefined : false))));
  void pp;
  // Categories
  if (!Array.isArray(config.categories)) config.categories = [];
  f.append(section(t('categories'),
    ...config.categories.map((c, i) => (c && typeof c === 'object' ? categoryEditor(c, i) : problemList(`config.categories[${i}]`))),
    button(t('addCategory'), () => { config.categories.push({ id: '' }); render(`config.categories[${config.categories.length - 1}].id`); }),
    problemList('config.categories')));
  // Consent Mode
  const cm = typeof config.consentMode === 'object' && config.consentMode ? config.consentMode : {};
  const setCm = (k, v) => { put(cm, k, v); put(config, 'consentMode', Object.keys(cm).length ? cm : undefined); };
  const signals = () => (typeof cm.signals === 'object' && cm.signals ? cm.signals : {});
  f.append(section(t('consentMode'),
    select(t('mode'), 'config.consentMode.mode', [['', t('basic')], ['advanced', t('advanced')]], () => cm.mode, (x) => setCm('mode', x)),
    el('fieldset', { 'data-field': 'config.consentMode.signals' }, el('legend', { text: t('signals') }),
      ...built.consentMode.signals.map(([s, needs]) => input(s, `config.consentMode.signals.${s}`, () => signals()[s]?.join(', '), (x) => {
        const o = { ...signals() };
        if (x.trim() === '') delete o[s]; else o[s] = list(x);
        setCm('signals', Object.keys(o).length ? o : undefined);
      }, { placeholder: needs.join(', ') || '—' }))),
    input(t('googleServices'), 'config.consentMode.googleServices', () => cm.googleServices?.join(', '), (x) => setCm('googleServices', x.trim() ? list(x) : undefined),
      { placeholder: built.consentMode.googleServices.join(', ') })));
  // Interface texts
  const texts = typeof config.texts === 'object' && config.texts ? config.texts : {};
  f.append(section(t('texts'), el('p', { text: t('builtInHint') }),
    ...siteLangs.map((l) => {
      const own = texts[l] || {};
      const d = el('details', { 'data-field': `config.texts.${l}` }, el('summary', { text: t('textsIn', { lang: l }) }));
      for (const key of built.keys) {
        const field = input(key, `config.texts.${l}.${key}`, () => own[key], (x) => {
          put(own, key, x);
          put(texts, l, Object.keys(own).length ? own : undefined);
          put(config, 'texts', Object.keys(texts).length ? texts : undefined);
        }, { placeholder: (built.texts[l] || built.texts.en)[key] });
        field.querySelector('input').lang = l;
        d.append(field);
      }
      d.append(problemList(`config.texts.${l}`));
      if (Object.keys(own).length) d.open = true;
      return d;
    }),
    problemList('config.texts')));
  // Export
  f.append(section(t('export'),
    el('label', { for: 'kc-json', text: t('json') }),
    el('textarea', { id: 'kc-json', rows: 12, readonly: true, spellcheck: 'false' }),
    el('div', { class: 'kc-row' },
      button(t('download'), download, { id: 'kc-download' }),
      button(t('copy'), (e) => copy('kc-json', e.target))),
    el('label', { for: 'kc-snippet', text: t('snippet') }),
    el('textarea', { id: 'kc-snippet', rows: 6, readonly: true, spellcheck: 'false' }),
    el('label', { for: 'kc-snippet-file', text: t('snippetFile') }),
    el('textarea', { id: 'kc-snippet-file', rows: 3, readonly: true, spellcheck: 'false' })));
  previewControls();
  changed(true);
  const again = active && f.querySelector(`[data-path="${CSS.escape(active)}"]`);
  if (again) again.focus({ preventScroll: !focusPath });
  if (!focusPath) window.scrollTo(0, scroll);
}

// ---- checking, export and preview, on every change ----
const json = () => JSON.stringify(config, null, 2);
/**
 * `value` as JSON to stand in a page's script element: every `<` (only
 * ever inside a JSON string) written `\u003c`, which JSON reads back the
 * same. Otherwise (the HTML parser's script-data states, in any case) an
 * end tag `\u003c/script` in a text would end the element early, and a
 * comment opener `\u003c!--` then `\u003cscript` would keep it from ending,
 * swallowing the rest of the page. (This file is inlined in
 * configurator-standalone.html: it holds neither.)
 */
const forScript = (value) => JSON.stringify(value).replaceAll('<', '\\u003c');
/** What visitors consented to: categories, services and cookies. */
function signature(c) {
  const cats = Array.isArray(c.categories) ? c.categories : [];
  const names = (list) => (Array.isArray(list) ? list.map((k) => (typeof k === 'string' ? k : k?.name)).join(',') : '');
  return JSON.stringify(cats.map((x) => [x?.id, !!x?.required, names(x?.cookies), (x?.services || []).map?.((s) => [s?.id, names(s?.cookies)])]));
}

let previewTimer = 0;
function changed(now = false) {
  const text = json();
  report = JSON.parse(check(text, 'config'));
  showProblems();
  document.getElementById('kc-json').value = text;
  const inline = forScript(config);
  document.getElementById('kc-snippet').value =
    `<link rel="stylesheet" href="/koekje/koekje.css">\n<script type="application/json" id="koekje-config">${inline}<\/script>\n<script type="module" src="/koekje/koekje.js"><\/script>`;
  document.getElementById('kc-snippet-file').value =
    `<link rel="stylesheet" href="/koekje/koekje.css">\n<script type="module" src="/koekje/koekje.js" data-config="/config.json"><\/script>`;
  offerRevision();
  clearTimeout(previewTimer);
  previewTimer = setTimeout(renderPreview, now ? 0 : 300);
}

function offerRevision() {
  const box = document.getElementById('kc-raise');
  const rev = Number.isInteger(config.revision) ? config.revision : 1;
  const purposesChanged = signature(config) !== baseline.signature && rev <= baseline.revision;
  box.hidden = !purposesChanged;
  if (!purposesChanged) return box.replaceChildren();
  box.replaceChildren(el('p', { text: t('raiseWhy') }),
    button(t('raise', { n: baseline.revision + 1 }), () => { config.revision = baseline.revision + 1; render('config.revision'); }, { id: 'kc-raise-button' }));
}

/** Puts each problem beside the field of the longest path it starts with. */
function showProblems() {
  const f = form();
  for (const ul of f.querySelectorAll('[data-problems]')) ul.replaceChildren();
  for (const inp of f.querySelectorAll('[aria-invalid]')) inp.removeAttribute('aria-invalid');
  const lists = new Map([...f.querySelectorAll('[data-problems]')].map((ul) => [ul.dataset.problems, ul]));
  const all = document.getElementById('kc-all-problems');
  all.replaceChildren();
  const missing = {};
  for (const p of report.problems) {
    let path = p.path;
    let ul = lists.get(path);
    while (!ul && path) {
      const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut > 0 ? path.slice(0, cut) : '';
      ul = lists.get(path);
    }
    (ul || lists.get('config')).append(el('li', { text: p.message }));
    const field = f.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (field) field.setAttribute('aria-invalid', 'true');
    const m = /^no text in (\S+)$/.exec(p.message);
    if (m) (missing[m[1]] = missing[m[1]] || []).push(p);
    all.append(el('li', {}, el('a', { href: '#', text: p.line.replace(/^koekje: /, ''), onclick: (e) => {
      e.preventDefault();
      (field || ul)?.scrollIntoView({ block: 'center' });
      field?.focus();
    } })));
  }
  const n = report.problems.length;
  const parts = [n === 0 ? t('noProblems') : n === 1 ? t('oneProblem') : t('nProblems', { n })];
  for (const [lang, ps] of Object.entries(missing)) parts.push(t('missingIn', { lang, n: ps.length }));
  document.getElementById('kc-summary').textContent = parts.join(' · ');
}

function download() {
  const a = el('a', { href: URL.createObjectURL(new Blob([json() + '\n'], { type: 'application/json' })), download: 'config.json' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
async function copy(id, btn) {
  try {
    await navigator.clipboard.writeText(document.getElementById(id).value);
    btn.textContent = t('copied');
  } catch {
    document.getElementById(id).select();
  }
}

/** The preview: the visitor's koekje.js and koekje.css in a frame, with the
 * config as it is now (storage kept in memory, so the admin's own choice on
 * this site is neither read nor changed; no consent log, so nothing is sent). */
function renderPreview() {
  const frame = document.getElementById('kc-preview-frame');
  const c = structuredClone(config);
  const lang = preview.lang && siteLangs.includes(preview.lang) ? preview.lang : siteLangs[0];
  c.language = lang;
  // The preview's choice stays in its in-memory localStorage: a cookie
  // store would write the consent cookie of this very site.
  delete c.store;
  delete c.consentCookie;
  // The admin's clicks in the preview are not visitors' choices: they must
  // never reach the site's consent-log receiver.
  delete c.consentLog;
  if (preview.layout) c.layout = preview.layout;
  if (preview.theme) c.theme = preview.theme;
  const inline = forScript(c);
  const memory = `(function(){function S(){var m=new Map();return{getItem:function(k){return m.has(k)?m.get(k):null},setItem:function(k,v){m.set(k,String(v))},removeItem:function(k){m.delete(k)},clear:function(){m.clear()},key:function(i){return Array.from(m.keys())[i]||null},get length(){return m.size}}}
Object.defineProperty(window,'localStorage',{value:S(),configurable:true});Object.defineProperty(window,'sessionStorage',{value:S(),configurable:true});})();`;
  const open = preview.view === 'preferences' ? `<script>addEventListener('koekje:ready',function(){koekje.showPreferences()})<\/script>` : '';
  // Opened from disk (configurator-standalone.html): the same koekje.js,
  // koekje.css and wasm, from strings, the wasm and the words answered from memory.
  const css = standalone ? `<style>${standalone.css}</style>` : `<link rel="stylesheet" href="${KOEKJE_CSS}">`;
  const js = standalone
    ? `<script>(function(){var s=parent.koekjeStandalone,b=Uint8Array.from(atob(s.wasm),function(c){return c.charCodeAt(0)}),f=window.fetch;
window.fetch=function(u,o){var w=/koekje-texts-(\\w+)\\.txt$/.exec(String(u));return /koekje_bg\.wasm$/.test(String(u))?Promise.resolve(new Response(b,{headers:{'content-type':'application/wasm'}})):w?Promise.resolve(new Response(s.texts[w[1]])):f.call(window,u,o)};
var m=document.createElement('script');m.type='module';m.textContent=s.js;document.head.appendChild(m)})();<\/script>`
    : `<script type="module" src="${KOEKJE_JS}"><\/script>`;
  frame.srcdoc = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview</title>${css}<script>${memory}<\/script>
<script type="application/json" id="koekje-config">${inline}<\/script>${open}${js}
<style>body{font:16px/1.5 system-ui,sans-serif;margin:1rem;color:#444}</style></head>
<body><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p></body></html>`;
}

function previewControls() {
  const box = document.getElementById('kc-preview-controls');
  const ctl = (label, key, options) => {
    const id = 'kc-pv-' + key;
    const s = el('select', { id, onchange: (e) => { preview[key] = e.target.value; renderPreview(); } });
    for (const [v, text] of options) s.append(el('option', { value: v, text }));
    s.value = preview[key];
    return el('span', { class: 'kc-inline' }, el('label', { for: id, text: label }), s);
  };
  box.replaceChildren(
    ctl(t('previewLanguage'), 'lang', siteLangs.map((l) => [l, l])),
    ctl(t('previewLayout'), 'layout', [['', t('asConfigured')], ['bar', 'bar'], ['box', 'box']]),
    ctl(t('previewTheme'), 'theme', [['', t('asConfigured')], ['light', 'light'], ['dark', 'dark']]),
    ctl(t('view'), 'view', [['banner', t('banner')], ['preferences', t('preferences')]]));
}

/** Loads config text (pasted, a file, or new); a text that is not a JSON
 * object is refused with the checker's message (line and column). */
function load(text, source) {
  const error = document.getElementById('kc-import-error') || {};
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    const r = JSON.parse(check(text, source));
    error.textContent = `${t('notJson')} ${r.problems[0]?.line.replace(/^koekje: /, '') ?? ''}`;
    return false;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    error.textContent = `${t('notJson')} config: expected an object`;
    return false;
  }
  error.textContent = '';
  config = value;
  const used = JSON.parse(check(JSON.stringify(config), source)).languages;
  siteLangs = used.length ? used : ['en'];
  baseline = { signature: signature(config), revision: Number.isInteger(config.revision) ? config.revision : 1 };
  preview.lang = siteLangs[0];
  render();
  return true;
}

function translatePage() {
  document.documentElement.lang = uiLang;
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  for (const e of document.querySelectorAll('[data-t-title]')) e.title = t(e.dataset.tTitle);
}

if (standalone) initSync({ module: Uint8Array.from(atob(standalone.check), (c) => c.charCodeAt(0)) });
else await init();
built = JSON.parse(builtIn());
const uiSelect = document.getElementById('kc-ui-lang');
uiSelect.value = uiLang;
uiSelect.addEventListener('change', () => { uiLang = uiSelect.value; translatePage(); render(); });
translatePage();
document.getElementById('kc-loading').hidden = true;
form().hidden = false;
form().addEventListener('submit', (e) => e.preventDefault());
load('{"revision": 1, "categories": []}', 'new');
// For tests and scripts: the config as it is now.
window.koekjeConfigurator = { config: () => structuredClone(config), load };
