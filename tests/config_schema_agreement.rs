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
