//! The interface's words: built in for Dutch, French, German and English,
//! overridable per language from the config, and extendable with languages.

#[allow(unused_imports)]
use crate::prelude::*;

/// One string of the interface. The config names it by [`Text::key`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Text {
    /// Accessible name of the banner region.
    BannerLabel,
    /// Heading of the banner.
    BannerTitle,
    /// Body of the banner.
    BannerText,
    /// The button that accepts every category.
    AcceptAll,
    /// The button that refuses every optional category.
    RejectAll,
    /// The button that opens the preferences dialog.
    Preferences,
    /// Heading of the preferences dialog.
    DialogTitle,
    /// Introduction in the preferences dialog.
    DialogText,
    /// The button that saves the switches as they are.
    Save,
    /// The button that closes the dialog without saving.
    Close,
    /// Said of a required category's switch.
    AlwaysOn,
    /// The link to the site's privacy policy.
    PrivacyPolicy,
    /// Heading of a category's list of services.
    Services,
    /// Caption of a cookie table.
    Cookies,
    /// Column heading: the cookie's name.
    CookieName,
    /// Column heading: who sets the cookie.
    CookieProvider,
    /// Column heading: what the cookie is for.
    CookiePurpose,
    /// Column heading: how long the cookie is kept.
    CookieDuration,
    /// A held embed's placeholder; `{service}` is the service's name.
    PlaceholderText,
    /// The placeholder's button that loads this one embed.
    LoadOnce,
    /// The placeholder's button that allows the service for good; `{service}`.
    AlwaysAllow,
    /// Said in the dialog when the browser sends Global Privacy Control.
    GpcNotice,
    /// Said of a category switch when only some of its services are on.
    PartlyOn,
    /// The dialog's receipt: label of the visitor's consent ID.
    ConsentId,
    /// The dialog's receipt: label of the date of the choice.
    ChosenOn,
    /// The receipt's button that copies the consent ID.
    Copy,
}

/// How many strings the interface has.
pub const TEXT_COUNT: usize = 26;

/// The config's names for the strings, in [`Text`] order.
pub const TEXT_KEYS: [&str; TEXT_COUNT] = [
    "bannerLabel",
    "bannerTitle",
    "bannerText",
    "acceptAll",
    "rejectAll",
    "preferences",
    "dialogTitle",
    "dialogText",
    "save",
    "close",
    "alwaysOn",
    "privacyPolicy",
    "services",
    "cookies",
    "cookieName",
    "cookieProvider",
    "cookiePurpose",
    "cookieDuration",
    "placeholderText",
    "loadOnce",
    "alwaysAllow",
    "gpcNotice",
    "partlyOn",
    "consentId",
    "chosenOn",
    "copy",
];

/// Every string of the interface, in [`TEXT_KEYS`] order.
pub const ALL: [Text; TEXT_COUNT] = [
    Text::BannerLabel,
    Text::BannerTitle,
    Text::BannerText,
    Text::AcceptAll,
    Text::RejectAll,
    Text::Preferences,
    Text::DialogTitle,
    Text::DialogText,
    Text::Save,
    Text::Close,
    Text::AlwaysOn,
    Text::PrivacyPolicy,
    Text::Services,
    Text::Cookies,
    Text::CookieName,
    Text::CookieProvider,
    Text::CookiePurpose,
    Text::CookieDuration,
    Text::PlaceholderText,
    Text::LoadOnce,
    Text::AlwaysAllow,
    Text::GpcNotice,
    Text::PartlyOn,
    Text::ConsentId,
    Text::ChosenOn,
    Text::Copy,
];

impl Text {
    /// The config's name for this string (`acceptAll`).
    pub fn key(self) -> &'static str {
        TEXT_KEYS[self as usize]
    }

    /// The string named `key` in the config, if there is one.
    pub fn from_key(key: &str) -> Option<Text> {
        TEXT_KEYS.iter().position(|k| *k == key).map(|i| ALL[i])
    }
}

#[cfg(not(feature = "loaded-texts"))]
const NL: Words = [
    "Cookietoestemming",
    "Mogen we cookies gebruiken?",
    "Sommige cookies zijn nodig om deze website te laten werken. Met uw toestemming gebruiken we ook cookies om te meten hoe de site bezocht wordt. U kiest zelf en kunt uw keuze altijd wijzigen via de cookie-instellingen.",
    "Alles aanvaarden",
    "Alles weigeren",
    "Zelf kiezen",
    "Cookie-instellingen",
    "Kies per soort welke cookies u toestaat. Noodzakelijke cookies staan altijd aan; de andere pas wanneer u ze aanzet.",
    "Keuze bewaren",
    "Sluiten",
    "Altijd actief",
    "Privacybeleid",
    "Diensten",
    "Cookies",
    "Naam",
    "Aanbieder",
    "Doel",
    "Bewaartermijn",
    "Deze inhoud komt van {service}, dat cookies kan plaatsen. Ze wordt pas geladen als u dat toestaat.",
    "Eenmalig laden",
    "{service} altijd toestaan",
    "Uw browser vraagt via Global Privacy Control om uw gegevens niet te delen. Daarom staan de optionele cookies uit, tenzij u ze hier zelf aanzet.",
    "Gedeeltelijk aan",
    "Toestemmings-ID",
    "Gekozen op",
    "Kopiëren",
    "Identificatiecookies",
    "Onthouden dat u aangemeld bent, bijvoorbeeld bij uw account, zodat u dat van pagina tot pagina blijft. Zonder deze cookies werkt aanmelden niet.",
    "Functionele cookies",
    "Laten de website goed en veilig werken, bijvoorbeeld door uw keuzes te onthouden. Ze volgen u niet.",
    "Analytische cookies",
    "Tellen bezoeken en tonen welke pagina's bekeken worden, zodat de website verbeterd kan worden.",
    "Marketingcookies",
    "Laten ons en onze partners toe advertenties te tonen die aansluiten bij uw interesses en te meten hoe goed ze werken.",
];

#[cfg(not(feature = "loaded-texts"))]
const FR: Words = [
    "Consentement aux cookies",
    "Pouvons-nous utiliser des cookies ?",
    "Certains cookies sont indispensables au fonctionnement de ce site. Avec votre accord, nous utilisons aussi des cookies pour mesurer sa fréquentation. Le choix vous appartient et vous pouvez le modifier à tout moment dans les paramètres des cookies.",
    "Tout accepter",
    "Tout refuser",
    "Personnaliser",
    "Paramètres des cookies",
    "Choisissez les cookies que vous autorisez, catégorie par catégorie. Les cookies nécessaires sont toujours actifs ; les autres seulement si vous les activez.",
    "Enregistrer mes choix",
    "Fermer",
    "Toujours actif",
    "Politique de confidentialité",
    "Services",
    "Cookies",
    "Nom",
    "Fournisseur",
    "Finalité",
    "Durée de conservation",
    "Ce contenu est fourni par {service}, qui peut déposer des cookies. Il ne se charge qu'avec votre accord.",
    "Charger cette fois",
    "Toujours autoriser {service}",
    "Votre navigateur demande, via Global Privacy Control, que vos données ne soient pas partagées. Les cookies facultatifs restent donc désactivés, sauf si vous les activez ici.",
    "Partiellement activé",
    "Identifiant de consentement",
    "Choix fait le",
    "Copier",
    "Cookies d'identification",
    "Retiennent que vous êtes connecté, par exemple à votre compte, pour que vous le restiez d'une page à l'autre. Sans eux, la connexion ne fonctionne pas.",
    "Cookies fonctionnels",
    "Permettent au site de fonctionner correctement et en sécurité, par exemple en retenant vos choix. Ils ne vous suivent pas.",
    "Cookies analytiques",
    "Comptent les visites et montrent quelles pages sont consultées, pour que le site puisse être amélioré.",
    "Cookies marketing",
    "Nous permettent, à nous et à nos partenaires, d'afficher des publicités adaptées à vos centres d'intérêt et d'en mesurer l'efficacité.",
];

#[cfg(not(feature = "loaded-texts"))]
const DE: Words = [
    "Cookie-Einwilligung",
    "Dürfen wir Cookies verwenden?",
    "Einige Cookies sind für den Betrieb dieser Website nötig. Mit Ihrer Einwilligung verwenden wir außerdem Cookies, um die Nutzung der Website zu messen. Sie entscheiden selbst und können Ihre Wahl jederzeit in den Cookie-Einstellungen ändern.",
    "Alle akzeptieren",
    "Alle ablehnen",
    "Selbst auswählen",
    "Cookie-Einstellungen",
    "Wählen Sie für jede Kategorie, welche Cookies Sie erlauben. Notwendige Cookies sind immer aktiv, alle anderen erst, wenn Sie sie einschalten.",
    "Auswahl speichern",
    "Schließen",
    "Immer aktiv",
    "Datenschutzerklärung",
    "Dienste",
    "Cookies",
    "Name",
    "Anbieter",
    "Zweck",
    "Speicherdauer",
    "Dieser Inhalt stammt von {service}, das Cookies setzen kann. Er wird erst geladen, wenn Sie es erlauben.",
    "Einmal laden",
    "{service} immer erlauben",
    "Ihr Browser bittet per Global Privacy Control darum, Ihre Daten nicht weiterzugeben. Optionale Cookies bleiben deshalb aus, außer Sie schalten sie hier selbst ein.",
    "Teilweise aktiv",
    "Einwilligungs-ID",
    "Gewählt am",
    "Kopieren",
    "Identifizierungs-Cookies",
    "Merken sich, dass Sie angemeldet sind, etwa bei Ihrem Konto, damit Sie es von Seite zu Seite bleiben. Ohne sie funktioniert die Anmeldung nicht.",
    "Funktionale Cookies",
    "Sorgen dafür, dass die Website richtig und sicher funktioniert, etwa indem sie sich Ihre Auswahl merken. Sie verfolgen Sie nicht.",
    "Analyse-Cookies",
    "Zählen Besuche und zeigen, welche Seiten aufgerufen werden, damit die Website verbessert werden kann.",
    "Marketing-Cookies",
    "Ermöglichen uns und unseren Partnern, Werbung passend zu Ihren Interessen zu zeigen und ihre Wirkung zu messen.",
];

#[cfg(not(feature = "loaded-texts"))]
const EN: Words = [
    "Cookie consent",
    "May we use cookies?",
    "Some cookies are needed for this website to work. With your consent, we also use cookies to measure how the site is visited. The choice is yours, and you can change it at any time in the cookie settings.",
    "Accept all",
    "Reject all",
    "Let me choose",
    "Cookie settings",
    "Choose, category by category, which cookies you allow. Necessary cookies are always on; the others only once you switch them on.",
    "Save choices",
    "Close",
    "Always on",
    "Privacy policy",
    "Services",
    "Cookies",
    "Name",
    "Provider",
    "Purpose",
    "Kept for",
    "This content comes from {service}, which may set cookies. It only loads once you allow it.",
    "Load this once",
    "Always allow {service}",
    "Your browser asks, through Global Privacy Control, that your data is not shared. Optional cookies therefore stay off unless you switch them on here.",
    "Partly on",
    "Consent ID",
    "Chosen on",
    "Copy",
    "Identification cookies",
    "Remember that you are signed in, for example to your account, so that you stay signed in from page to page. Signing in does not work without them.",
    "Functional cookies",
    "Make the website work properly and safely, for example by remembering your choices. They do not track you.",
    "Analytics cookies",
    "Count visits and show which pages are viewed, so that the website can be improved.",
    "Marketing cookies",
    "Let us and our partners show advertising that matches your interests and measure how well it works.",
];

/// `template` with `{service}` replaced by `service`. A byte scan rather
/// than `str::replace`, whose substring searcher costs 2 kB of wasm.
pub fn fill(template: &str, service: &str) -> String {
    const HOLE: &[u8] = b"{service}";
    let bytes = template.as_bytes();
    let mut out = String::with_capacity(template.len() + service.len());
    let mut start = 0;
    let mut i = 0;
    while i + HOLE.len() <= bytes.len() {
        if bytes.get(i..i + HOLE.len()) == Some(HOLE) {
            // `{` and `}` are ASCII, so both ends are character boundaries.
            out.push_str(template.get(start..i).unwrap_or_default());
            out.push_str(service);
            i += HOLE.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(template.get(start..).unwrap_or_default());
    out
}

/// The languages built in, by their primary language subtag: the one list.
/// The build writes a words file for each (through the checker's
/// `builtIn()`, as does the configurator's list); the loader's
/// `koekjeWordsUrl` writes each file's address out for bundlers, held to
/// this list by `tests/contracts.rs`.
pub const BUILT_IN_LANGUAGES: [&str; 4] = ["nl", "fr", "de", "en"];

/// The language used when nothing else fits.
pub const FALLBACK_LANGUAGE: &str = "en";

/// The category ids Koekje has built-in words for.
pub const KNOWN_CATEGORIES: [&str; 4] = ["identification", "functional", "analytics", "marketing"];

/// How many built-in words a language has: the interface's strings, then
/// a title and a description for each of [`KNOWN_CATEGORIES`].
pub const WORD_COUNT: usize = TEXT_COUNT + 2 * KNOWN_CATEGORIES.len();

/// One language's built-in words, in [`Text`] order, then each known
/// category's title and description.
pub type Words = [&'static str; WORD_COUNT];

/// The built-in language whose words `lang` shows: `lang` itself, or
/// English for a language Koekje has no words for (the config's words come
/// first, then these).
pub fn words_language(lang: &str) -> &'static str {
    BUILT_IN_LANGUAGES.iter().find(|l| **l == lang).copied().unwrap_or(FALLBACK_LANGUAGE)
}

/// A language's built-in words: compiled in (the tests, the checker), or,
/// in the shipped banner (feature `loaded-texts`), the ones [`load`]ed at
/// run time, so that a visitor downloads only the language shown.
fn built_in(lang: &str) -> Option<&'static Words> {
    #[cfg(not(feature = "loaded-texts"))]
    {
        match lang {
            "nl" => return Some(&NL),
            "fr" => return Some(&FR),
            "de" => return Some(&DE),
            "en" => return Some(&EN),
            _ => {}
        }
    }
    loaded::get(lang)
}

/// The built-in string `text` in `lang`, if that language is built in
/// (and, where words are loaded at run time, loaded).
pub fn built_in_text(lang: &str, text: Text) -> Option<&'static str> {
    built_in(lang).map(|words| words[text as usize])
}

/// Whether the built-in words that `lang` shows are there (always, unless
/// they are loaded at run time and have not arrived yet).
pub fn have_words(lang: &str) -> bool {
    built_in(words_language(lang)).is_some()
}

/// One built-in language's words as the banner loads them: one per line.
/// `None` for a language that is not built in (or not compiled in).
pub fn packed(lang: &str) -> Option<String> {
    built_in(lang).map(|words| words.join("\n"))
}

/// Takes `lang`'s built-in words, as [`packed`] wrote them, for the rest of
/// the page view. False (and nothing kept) for a language that is not built
/// in, or words of another shape: exactly [`WORD_COUNT`] non-empty lines.
pub fn load(lang: &str, packed: &str) -> bool {
    loaded::put(lang, packed)
}

/// The words loaded at run time, kept for the page view (each language's
/// text is leaked once: a few hundred bytes, never freed while the page is open).
mod loaded {
    use super::{Words, BUILT_IN_LANGUAGES, WORD_COUNT};
    use alloc::boxed::Box;
    use core::cell::RefCell;

    use crate::page_local::PageLocal;

    // The wasm runs on the page's one thread. Natively (where the words are
    // compiled in and `get` looks here only for built-in languages it does
    // not find there: never) one test alone fills it.
    static STORE: PageLocal<RefCell<[Option<&'static Words>; BUILT_IN_LANGUAGES.len()]>> =
        PageLocal(RefCell::new([None; BUILT_IN_LANGUAGES.len()]));

    pub fn get(lang: &str) -> Option<&'static Words> {
        let i = BUILT_IN_LANGUAGES.iter().position(|l| *l == lang)?;
        STORE.0.try_borrow().ok()?[i]
    }

    pub fn put(lang: &str, packed: &str) -> bool {
        let Some(i) = BUILT_IN_LANGUAGES.iter().position(|l| *l == lang) else { return false };
        let mut count = 0;
        for line in packed.split('\n') {
            if line.trim().is_empty() {
                return false;
            }
            count += 1;
        }
        if count != WORD_COUNT {
            return false;
        }
        let Ok(mut store) = STORE.0.try_borrow_mut() else { return false };
        if store[i].is_none() {
            let text: &'static str = Box::leak(Box::from(packed));
            let mut kept: Words = [""; WORD_COUNT];
            for (slot, line) in kept.iter_mut().zip(text.split('\n')) {
                *slot = line;
            }
            store[i] = Some(Box::leak(Box::new(kept)));
        }
        true
    }
}

/// Strings for one language given by the config.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextOverrides {
    /// The language, as written in the config (lower-cased).
    pub language: String,
    /// The strings given, by [`Text`].
    pub strings: Vec<(Text, String)>,
}

impl TextOverrides {
    /// The override of `text`, if given.
    pub fn get(&self, text: Text) -> Option<&str> {
        self.strings.iter().find(|(t, _)| *t == text).map(|(_, s)| s.as_str())
    }
}

/// Looks up `text` for `lang`: the config's words first, then the built-in
/// ones, then English (the config's English, then the built-in English).
pub fn lookup<'a>(overrides: &'a [TextOverrides], lang: &str, text: Text) -> &'a str {
    let given = |l: &str| overrides.iter().find(|o| o.language == l).and_then(|o| o.get(text));
    given(lang)
        .or_else(|| built_in_text(lang, text))
        .or_else(|| given(FALLBACK_LANGUAGE))
        .or_else(|| built_in_text(FALLBACK_LANGUAGE, text))
        // Only where the words are loaded at run time and have not arrived
        // (the shell shows nothing before they have).
        .unwrap_or(text.key())
}

/// A category's built-in title and description, for the ids Koekje knows
/// ([`KNOWN_CATEGORIES`]), if `lang`'s words are there.
pub fn built_in_category(id: &str, lang: &str) -> Option<(&'static str, &'static str)> {
    let i = TEXT_COUNT + 2 * KNOWN_CATEGORIES.iter().position(|k| *k == id)?;
    let words = built_in(lang)?;
    Some((words[i], words[i + 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_language_is_complete_and_distinct() {
        for lang in BUILT_IN_LANGUAGES {
            let table = built_in(lang).unwrap();
            assert!(table.iter().all(|s| !s.trim().is_empty()), "{lang}");
            // Every category id Koekje knows has words in every language.
            for id in ["identification", "functional", "analytics", "marketing"] {
                let (title, description) = built_in_category(id, lang).unwrap();
                assert!(!title.is_empty() && !description.is_empty());
            }
        }
        // A translation that is just English copied would go unnoticed otherwise.
        for lang in ["nl", "fr", "de"] {
            assert_ne!(built_in_text(lang, Text::BannerText), built_in_text("en", Text::BannerText));
            assert_ne!(built_in_text(lang, Text::RejectAll), built_in_text("en", Text::RejectAll));
        }
    }

    #[test]
    fn packed_words_load_back_and_bad_ones_are_refused() {
        for lang in BUILT_IN_LANGUAGES {
            let packed = packed(lang).unwrap();
            assert_eq!(packed.split('\n').count(), WORD_COUNT, "no built-in word holds a line break");
            assert!(load(lang, &packed));
        }
        assert_eq!(built_in_category("marketing", "de").unwrap().0, "Marketing-Cookies");
        assert_eq!(built_in_category("chat", "de"), None);
        let nl = packed("nl").unwrap();
        // Only built-in languages, and exactly their shape: one word short or
        // over, an empty line, another language's code: nothing is kept.
        assert!(!load("pt", &nl));
        assert!(!load("nl", nl.rsplit_once('\n').unwrap().0));
        assert!(!load("nl", &(nl.clone() + "\nextra")));
        assert!(!load("nl", &nl.replacen("Alles aanvaarden", " ", 1)));
        assert!(!load("nl", ""));
        assert_eq!(packed("pt"), None);
        assert_eq!(words_language("pt"), "en");
        assert_eq!(words_language("fr"), "fr");
        assert!(have_words("pt") && have_words("nl"));
    }

    #[test]
    fn fills_the_service_name() {
        let text = built_in_text("nl", Text::AlwaysAllow).unwrap();
        assert_eq!(fill(text, "YouTube"), "YouTube altijd toestaan");
        assert_eq!(fill("no placeholder", "X"), "no placeholder");
        assert_eq!(fill("{service} and {service}!", "é"), "é and é!");
        assert_eq!(fill("{servic", "X"), "{servic");
        assert_eq!(fill("", "X"), "");
    }

    #[test]
    fn keys_round_trip() {
        for (i, key) in TEXT_KEYS.iter().enumerate() {
            let text = Text::from_key(key).unwrap();
            assert_eq!(text as usize, i);
            assert_eq!(text.key(), *key);
        }
        assert_eq!(Text::from_key("acceptAll"), Some(Text::AcceptAll));
        assert_eq!(Text::from_key("nope"), None);
    }

    #[test]
    fn lookup_prefers_config_then_built_in_then_english() {
        let overrides = vec![
            TextOverrides { language: "nl".into(), strings: vec![(Text::AcceptAll, "Ja, graag".into())] },
            TextOverrides { language: "en".into(), strings: vec![(Text::Save, "Store".into())] },
        ];
        assert_eq!(lookup(&overrides, "nl", Text::AcceptAll), "Ja, graag");
        assert_eq!(lookup(&overrides, "nl", Text::RejectAll), "Alles weigeren");
        assert_eq!(lookup(&overrides, "fr", Text::AcceptAll), "Tout accepter");
        // A language that is not built in falls back to the config's English.
        assert_eq!(lookup(&overrides, "pt", Text::Save), "Store");
        assert_eq!(lookup(&overrides, "pt", Text::Close), "Close");
    }
}
