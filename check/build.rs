// The checker reads JSON with serde_json, which recurses once per level of
// nesting: it gets a 1 MiB stack (the banner's wasm keeps 64 KiB; this
// link argument comes after the one in scripts/build.sh's RUSTFLAGS, and
// the linker takes the last).
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=-zstack-size=1048576");
    }
}
