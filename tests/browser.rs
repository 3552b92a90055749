#![cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn smoke() {
    assert_eq!(koekje::shell::random_id::new_consent_id().len(), 36);
}

#[wasm_bindgen_test]
async fn smoke_async() {
    assert!(true);
}
