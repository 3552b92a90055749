#![cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
use wasm_bindgen_test::wasm_bindgen_test;
use koekje::core::value::Value;
use koekje::shell::json;

#[wasm_bindgen_test]
fn proto_key() {
    let v = Value::object([("__proto__", Value::Bool(true)), ("constructor", Value::Bool(true))]);
    let s = json::stringify(&v);
    web_sys::console::log_1(&format!("STRINGIFY {:?}", s).into());
    let p = json::parse(r#"{"__proto__": true, "a": 1}"#);
    web_sys::console::log_1(&format!("PARSE {:?}", p).into());
    let body = web_sys::window().unwrap().document().unwrap().body().unwrap();
    web_sys::console::log_1(&format!("BODY first {:?}", body.first_child().map(|n| n.node_name())).into());
    web_sys::console::log_1(&format!("BADJSON {:?}", json::parse("{")).into());
    panic!("show");
}
