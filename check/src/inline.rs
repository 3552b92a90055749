//! Whether config text put in the page as it is, in
//! `<script type="application/json" id="koekje-config">…</script>`, would
//! break the page. The HTML parser reads a script element's content in its
//! script-data states: a `</script` ends the element wherever it stands (the
//! rest of the config becomes page text), and a `<!--` followed by a
//! `<script` keeps the element from ending at its `</script>` (the rest of
//! the page, Koekje's own script tag with it, is swallowed: a blank page, no
//! banner). Both in any case. Writing `<` as `\u003c` in the JSON avoids
//! either, and the configurator's snippet does.

use koekje::core::problem::{field, index, Problem};
use koekje::core::validate::ROOT;
use koekje::core::value::Value;

/// Where the parser would go wrong in `text`, and how.
#[derive(Debug, PartialEq)]
enum Break {
    /// A `</script` at this byte ends the element.
    EndsEarly(usize),
    /// A `<script` at this byte, after a `<!--`, keeps it from ending.
    NeverEnds(usize),
}

/// The HTML tokenizer's script-data states that matter here.
#[derive(Clone, Copy, PartialEq)]
enum State {
    Data,
    Escaped,
    DoubleEscaped,
}

/// Whether `text` has `word` at `at`, in any ASCII case.
fn has(text: &[u8], at: usize, word: &[u8]) -> bool {
    text.get(at..at + word.len()).is_some_and(|t| t.eq_ignore_ascii_case(word))
}

/// Whether a `script` tag name at `at` (after `<` or `</`) is one: followed
/// by whitespace, `/` or `>`. At the end of the config comes the page's
/// `</script>`, whose `<` is not.
fn script_tag(text: &[u8], at: usize) -> bool {
    has(text, at, b"script") && matches!(text.get(at + 6), Some(b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
}

/// Follows the parser through `text` as the content of a script element.
fn first_break(text: &[u8]) -> Option<Break> {
    let mut state = State::Data;
    let mut double_at = 0;
    let mut i = 0;
    while i < text.len() {
        if state != State::Data && has(text, i, b"-->") {
            state = State::Data;
            i += 3;
            continue;
        }
        match state {
            State::Data | State::Escaped if has(text, i, b"</") && script_tag(text, i + 2) => {
                return Some(Break::EndsEarly(i));
            }
            // After `<!` the `--` also counts towards a `-->` (`<!-->`).
            State::Data if has(text, i, b"<!--") => {
                state = State::Escaped;
                i += 2;
                continue;
            }
            State::Escaped if has(text, i, b"<") && script_tag(text, i + 1) => {
                state = State::DoubleEscaped;
                double_at = i;
            }
            State::DoubleEscaped if has(text, i, b"</") && script_tag(text, i + 2) => state = State::Escaped,
            _ => {}
        }
        i += 1;
    }
    match state {
        State::DoubleEscaped => Some(Break::NeverEnds(double_at)),
        _ => None,
    }
}

/// The problem config `text` (valid JSON) would cause put inline in a page,
/// if any, at the path of the JSON string where it starts.
pub fn problem(text: &str) -> Option<Problem> {
    let (at, message) = match first_break(text.as_bytes())? {
        Break::EndsEarly(at) => (at, "holds \"</script\", which ends the config's <script> element when it is put in the page as it is (the rest of the config is lost): write \"<\" as \"\\u003c\""),
        Break::NeverEnds(at) => (at, "holds \"<script\" after a \"<!--\", which keeps the config's <script> element from ending when it is put in the page as it is (the rest of the page is swallowed: no banner, no content): write \"<\" as \"\\u003c\""),
    };
    Some(Problem::new(&path_at(text, at), message))
}

/// What the walk through the JSON is in.
enum Frame {
    /// An object, with the key of the member being read (once read).
    Object(Option<String>),
    /// An array, with the index of the item being read.
    Array(usize),
}

/// The path (`config.texts.en.bannerText`) of the string of valid JSON
/// `text` that holds byte `at` (a key names its member).
fn path_at(text: &str, at: usize) -> String {
    let bytes = text.as_bytes();
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => frames.push(Frame::Object(None)),
            b'[' => frames.push(Frame::Array(0)),
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object(key)) => *key = None,
                Some(Frame::Array(n)) => *n += 1,
                None => {}
            },
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object(key @ None)) = frames.last_mut() {
                    // Read as a Value, as the config is: one serde_json
                    // reader in the wasm, not a second for String (13 kB gzip).
                    let read = text.get(start..=i).and_then(|k| serde_json::from_str::<Value>(k).ok());
                    *key = read.and_then(|v| v.as_str().map(str::to_owned));
                }
                if (start..=i).contains(&at) {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = ROOT.to_owned();
    for frame in &frames {
        match frame {
            Frame::Object(Some(key)) => path = field(&path, key),
            Frame::Array(n) => path = index(&path, *n),
            Frame::Object(None) => {}
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(json: &str) -> Option<String> {
        problem(json).map(|p| p.to_console_line())
    }

    #[test]
    fn follows_the_parser() {
        for (text, found) in [
            (r#"{"a": "</script>"}"#, Some(Break::EndsEarly(7))),
            (r#"{"a": "</SCRIPT "}"#, Some(Break::EndsEarly(7))),
            (r#"{"a": "</scripts>"}"#, None),
            (r#"{"a": "<\/script>"}"#, None),
            (r#"{"a": "<!--<script>"}"#, Some(Break::NeverEnds(11))),
            (r#"{"a": "<!-- <ScRiPt/"}"#, Some(Break::NeverEnds(12))),
            (r#"{"a": "<!----> <script>"}"#, None),
            (r#"{"a": "<!--> <script>"}"#, None),
            (r#"{"a": "<!-- --> <script>"}"#, None),
            (r#"{"a": "<!--<script></script>"}"#, None),
            (r#"{"a": "<!--<script></script></script>"}"#, Some(Break::EndsEarly(28))),
            (r#"{"a": "<!--", "b": "<script>"}"#, Some(Break::NeverEnds(20))),
            (r#"{"a": "<script><!--"}"#, None),
            (r#"{"a": "\u003c!--\u003cscript>"}"#, None),
        ] {
            assert_eq!(first_break(text.as_bytes()), found, "{text}");
        }
    }

    #[test]
    fn names_the_string_it_is_in() {
        let config = r#"{"revision": 1, "categories": [{"id": "a"}, {"id": "b", "description": {"nl": "x", "en": "<!--<script>"}}]}"#;
        assert_eq!(
            lines(config).unwrap(),
            "koekje: config.categories[1].description.en: holds \"<script\" after a \"<!--\", which keeps the config's <script> element from ending when it is put in the page as it is (the rest of the page is swallowed: no banner, no content): write \"<\" as \"\\u003c\""
        );
        assert_eq!(
            problem(r#"{"texts": {"en": {"bannerText": "a \"</script>\""}}}"#).unwrap().path,
            "config.texts.en.bannerText"
        );
        assert_eq!(problem(r#"{"a</script>": 1}"#).unwrap().path, "config.a</script>");
        assert_eq!(problem(r#"{"x": [1, "y", ["</script>"]]}"#).unwrap().path, "config.x[2][0]");
        assert_eq!(lines(r#"{"texts": {"en": {"bannerText": "<b>cookies</b> & <!-- -->"}}}"#), None);
    }
}
