//! The config's JSON Schema (src/config.schema.json, shipped as
//! dist/koekje-config.schema.json) and the Rust validator agree: every entry
//! of tests/config/corpus.json that the schema accepts (as
//! tests/config/schema.test.mjs checks with Ajv) is read without a problem,
//! and every entry it refuses gets at least one; every config example in the
//! README and the demo's config are clean.
#![cfg(not(target_arch = "wasm32"))]

use koekje::core::validate::config_from_value;
use koekje::core::value::Value;

fn value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap()),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(value).collect()),
        serde_json::Value::Object(pairs) => Value::Object(pairs.iter().map(|(k, v)| (k.clone(), value(v))).collect()),
    }
}

fn problems(json: &serde_json::Value) -> Vec<String> {
    config_from_value(&value(json)).1.iter().map(|p| p.to_console_line()).collect()
}

#[test]
fn the_validator_agrees_with_the_schema_on_the_corpus() {
    let corpus: serde_json::Value = serde_json::from_str(include_str!("config/corpus.json")).unwrap();
    let entries = corpus.as_array().unwrap();
    assert!(entries.len() > 30, "a corpus worth the name");
    for entry in entries {
        let name = entry["name"].as_str().unwrap();
        let found = problems(&entry["config"]);
        if entry["valid"].as_bool().unwrap() {
            assert_eq!(found, Vec::<String>::new(), "{name}: valid for the schema, so clean for the validator");
        } else {
            assert!(!found.is_empty(), "{name}: refused by the schema, so reported by the validator");
        }
    }
}

/// The config examples of the README: ```json blocks after a
/// `<!-- config example -->` line, and inline `id="koekje-config">…</script>`.
fn readme_examples() -> Vec<String> {
    let readme = include_str!("../README.md");
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "<!-- config example -->" {
            assert_eq!(lines.next().map(str::trim), Some("```json"));
            let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
            out.push(block.join("\n"));
        }
    }
    for piece in readme.split(r#"id="koekje-config">{"#).skip(1) {
        out.push(String::from("{") + piece.split("</script>").next().unwrap());
    }
    out
}

#[test]
fn every_config_example_in_the_readme_and_the_demo_is_clean() {
    let examples = readme_examples();
    assert!(examples.len() >= 2, "found {} README examples", examples.len());
    for text in examples.iter().map(String::as_str).chain([include_str!("../www/koekje-config.json")]) {
        let json: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(problems(&json), Vec::<String>::new(), "{text}");
    }
}

/// The paths of the schema's per-language texts (`oneOf` a string or an
/// object by language), with `[]` for an array's items:
/// `categories[].services[].cookies[].purpose`.
fn schema_text_paths(node: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    let Some(node) = node.as_object() else { return };
    let alternatives = node.get("oneOf").and_then(|a| a.as_array()).map(Vec::as_slice).unwrap_or_default();
    if alternatives.iter().any(|a| a.get("propertyNames").is_some()) {
        out.push(path.to_owned());
        return;
    }
    for alternative in alternatives {
        schema_text_paths(alternative, path, out);
    }
    if let Some(items) = node.get("items") {
        schema_text_paths(items, &format!("{path}[]"), out);
    }
    for (key, property) in node.get("properties").and_then(|p| p.as_object()).into_iter().flatten() {
        let sep = if path.is_empty() { "" } else { "." };
        schema_text_paths(property, &format!("{path}{sep}{key}"), out);
    }
}

/// A config with one of each per-language text, each its own word in `xx`.
const EVERY_TEXT: &str = r#"{
  "privacyPolicy": {"xx": "/privacy-xx"},
  "categories": [{"id": "chat", "title": {"xx": "w-title"}, "description": {"xx": "w-description"},
    "services": [{"id": "s", "name": {"xx": "w-name"},
      "cookies": [{"name": "a", "purpose": {"xx": "w-s-purpose"}, "duration": {"xx": "w-s-duration"}}]}],
    "cookies": [{"name": "b", "purpose": {"xx": "w-c-purpose"}, "duration": {"xx": "w-c-duration"}}]}]
}"#;

fn every_text() -> (koekje::core::config::Config, Vec<(String, String)>) {
    let config = config_from_value(&value(&serde_json::from_str(EVERY_TEXT).unwrap()));
    assert_eq!(config.1, [], "EVERY_TEXT is clean");
    let mut texts = Vec::new();
    config.0.each_text(|at, text| texts.push((at.path(), text.get("xx").unwrap_or_default().to_owned())));
    (config.0, texts)
}

/// `Config::each_text`, the one walk over the texts a config gives per
/// language (missing texts, the checker's languages), reaches every such
/// field of the schema: a new one in the schema fails here until the walk
/// has it.
#[test]
fn the_text_walk_reaches_every_per_language_text_of_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(include_str!("../src/config.schema.json")).unwrap();
    let mut in_schema = Vec::new();
    schema_text_paths(&schema, "", &mut in_schema);
    in_schema.sort();
    in_schema.dedup();
    let (_, texts) = every_text();
    let mut walked: Vec<String> =
        texts.iter().map(|(path, _)| path.strip_prefix("config.").unwrap().replace("[0]", "[]")).collect();
    walked.sort();
    walked.dedup();
    assert_eq!(walked, in_schema);
    assert!(texts.iter().all(|(_, word)| !word.is_empty()), "each text given in xx: {texts:?}");
}

/// The notice (what the consent log proves was shown) holds every text the
/// walk reaches, in the language shown.
#[test]
fn the_notice_holds_every_text_the_walk_reaches() {
    let (config, texts) = every_text();
    let notice = format!("{:?}", koekje::core::notice::snapshot(&config, "xx", "build"));
    for (path, word) in texts {
        assert!(notice.contains(&format!("{word:?}")), "{path} ({word}) is not in the notice: {notice}");
    }
}

/// The banner's missing texts (`validate::missing_texts`, written out for
/// the shipped wasm's size) reach every text the walk reaches, in its
/// order: each text of `EVERY_TEXT` is given in `xx` only, so in `yy`
/// each is missing (the privacy policy's address aside: any language's
/// serves).
#[test]
fn the_missing_texts_are_every_text_the_walk_reaches() {
    let (config, texts) = every_text();
    let mut found = Vec::new();
    koekje::core::validate::missing_texts(&config, "yy", &mut found);
    let found: Vec<String> = found.into_iter().map(|p| p.path).collect();
    let walked: Vec<String> = texts.into_iter().map(|(path, _)| path).filter(|p| p != "config.privacyPolicy").collect();
    assert_eq!(found, walked);
}
