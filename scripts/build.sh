#!/usr/bin/env bash
# Builds the shipped bundle into dist/: koekje.js (wasm-bindgen glue + loader),
# koekje_bg.wasm (shrunk by wasm-opt), koekje.d.ts and koekje.css (the
# interface's own stylesheet is carried inside koekje.js).
# `scripts/build.sh --dev` skips the release profile and wasm-opt (inner loop).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
[[ "${1:-}" == "--dev" ]] && profile=dev
target_dir=target/wasm32-unknown-unknown/$([[ $profile == dev ]] && echo debug || echo release)

# A 64 KiB stack instead of Rust's default 1 MiB keeps the wasm's linear
# memory small (192 KiB after start); the deepest recursion, reading JSON
# nested at most 64 levels (core::value::MAX_DEPTH), needs a few kilobytes in a release build.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C link-arg=-zstack-size=65536"
cargo build --lib --target wasm32-unknown-unknown --profile "$profile" --features standalone,loaded-texts
rm -rf dist && mkdir -p dist
wasm-bindgen "$target_dir/koekje.wasm" --out-dir dist --out-name koekje --target web \
  --remove-name-section --remove-producers-section
node scripts/trim-glue.mjs dist/koekje.js
if [[ $profile == release ]]; then
  # -Oz, then flatten and re-loop the control flow and -Oz twice more:
  # 0.9 kB less gzip than -Oz alone. The target-features section is not
  # needed by browsers.
  npx --no-install wasm-opt -Oz --flatten --rereloop -Oz -Oz --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    dist/koekje_bg.wasm -o dist/koekje_bg.wasm
  node scripts/minify-names.mjs dist/koekje_bg.wasm dist/koekje.js
fi
# The loader names its build (the consent log records it) and fetches the
# wasm with its integrity hash, so a koekje.js never runs with a wasm of
# another build (a stale cache fails closed, with a console message). The
# glue's exported functions become internal `koekje_*` ones: the loader
# exports safe wrappers that work before the wasm is there.
build_id=$(sha256sum dist/koekje_bg.wasm | cut -c1-16)
wasm_sri=$(node -e 'console.log("sha384-" + require("node:crypto").createHash("sha384").update(require("node:fs").readFileSync("dist/koekje_bg.wasm")).digest("base64"))')
# For admins, never loaded by visitors: the config checker (check/, the core
# without the shell, its own wasm in dist/check/), the configurator page and
# the debug view (koekje-debug.js, loaded by koekje.js only when asked for).
# The same RUSTFLAGS as above, so that the two builds share their compiled
# crates (check/build.rs gives the checker a larger stack).
cargo build -p koekje-check --target wasm32-unknown-unknown --profile "$profile"
wasm-bindgen "$target_dir/koekje_check.wasm" --out-dir dist/check --out-name koekje_check --target web \
  --remove-name-section --remove-producers-section
rm -f dist/check/koekje_check_bg.wasm.d.ts
# The built-in words of each built-in language (core::texts::
# BUILT_IN_LANGUAGES, named here by the checker's builtIn()), one file each
# (koekje-texts-nl.txt, …), written from the core by the checker's wasm: the
# banner's wasm has none compiled in and fetches only the language it shows.
# Each file starts with the build's id, which the loader checks: words of
# another build (in another order, say) are never shown.
languages=$(KOEKJE_BUILD=$build_id node --input-type=module -e '
  import { readFileSync, writeFileSync } from "node:fs";
  import { initSync, builtIn, builtInWords } from "./dist/check/koekje_check.js";
  initSync({ module: readFileSync("dist/check/koekje_check_bg.wasm") });
  const languages = JSON.parse(builtIn()).languages;
  for (const lang of languages)
    writeFileSync(`dist/koekje-texts-${lang}.txt`, process.env.KOEKJE_BUILD + "\n" + builtInWords(lang));
  console.log(languages.join(" "));
')
grep -q '^export function accepted(' dist/koekje.js || { echo "build.sh: the glue has no accepted() export to wrap" >&2; exit 1; }
sed -i -E 's/^export function ([A-Za-z_]+)\(/function koekje_\1(/' dist/koekje.js
sed -e "s/KOEKJE_BUILD/$build_id/" -e "s#KOEKJE_WASM_SRI#$wasm_sri#" src/js/loader.js >> dist/koekje.js
# The interface's own stylesheet goes into koekje.js (adopted by each of
# Koekje's shadow roots), its custom properties resolved; koekje.css holds
# only the page's part (the room at the end of the page).
view_css=$(node scripts/view-css.mjs $([[ $profile == release ]] && echo --minify))
KOEKJE_VIEW_CSS=$view_css node -e '
  const fs = require("node:fs");
  const js = fs.readFileSync("dist/koekje.js", "utf8");
  if (!js.includes("\"KOEKJE_VIEW_CSS\"")) throw new Error("build.sh: the loader has no KOEKJE_VIEW_CSS to fill");
  fs.writeFileSync("dist/koekje.js", js.replace("\"KOEKJE_VIEW_CSS\"", () => process.env.KOEKJE_VIEW_CSS));
'
cp src/koekje.css dist/koekje.css
cp src/js/koekje-gcm.js dist/koekje-gcm.js
if [[ $profile == release ]]; then
  # Minified with esbuild (from npm): about 3 kB less gzip for JS and CSS.
  for f in koekje.js koekje.css koekje-gcm.js; do
    npx --no-install esbuild "dist/$f" --minify --log-level=warning --outfile="dist/$f" --allow-overwrite \
      $([[ $f == koekje.js ]] && echo --format=esm)
  done
fi
rm -f dist/koekje_bg.wasm.d.ts
# The types of the wasm's own exports (renamed above) and of the glue's
# init functions are not for pages: Koekje starts itself (and the trimmed
# glue exports no init).
grep -q '^export type InitInput' dist/koekje.d.ts || { echo "build.sh: koekje.d.ts has no InitInput to cut" >&2; exit 1; }
sed -i '/^export type InitInput/,$d' dist/koekje.d.ts

cp src/admin/configurator.js src/admin/configurator.css src/admin/koekje-debug.js dist/
if [[ $profile == release ]]; then
  # The checker wasm skips wasm-opt: -Oz took 12 s of the release build on
  # this machine to save 1.1 kB gzip (2%) of a file only admins load.
  for f in configurator.js koekje-debug.js; do
    npx --no-install esbuild "dist/$f" --minify --format=esm --log-level=warning --outfile="dist/$f" --allow-overwrite
  done
fi
# The configurator page, with its files beside it (www/ reaches them under koekje/).
sed 's#"koekje/#"#g' www/configurator.html > dist/configurator.html
cat src/js/koekje-types.d.ts >> dist/koekje.d.ts
cp src/config.schema.json dist/koekje-config.schema.json
# Subresource-integrity hashes of the shipped files, for `integrity=` on
# the tags (the wasm's is also written into koekje.js, above).
KOEKJE_LANGUAGES=$languages node -e '
  const { createHash } = require("node:crypto");
  const { readFileSync, writeFileSync } = require("node:fs");
  const out = {};
  const words = process.env.KOEKJE_LANGUAGES.split(" ").map((l) => `koekje-texts-${l}.txt`);
  for (const f of ["koekje.js", "koekje_bg.wasm", "koekje.css", "koekje-gcm.js", ...words])
    out[f] = "sha384-" + createHash("sha384").update(readFileSync("dist/" + f)).digest("base64");
  writeFileSync("dist/integrity.json", JSON.stringify(out, null, 2) + "\n");
'
# The same in one file, for opening from disk.
node scripts/configurator-standalone.mjs
echo "built dist/ ($profile)"
