#!/usr/bin/env bash
# Vendor Digdir's Designsystemet CSS into static/vendor/designsystemet/, and its font,
# Inter (from @fontsource-variable/inter, SIL Open Font License), into static/vendor/inter/.
#
# Node/npm are needed only when running this script (a developer task);
# the site itself serves the copied files and never runs Node.
#
# Usage:
#   scripts/update-designsystemet.sh
#   DS_CSS_VERSION=1.22.0 DS_THEME_VERSION=1.11.0 INTER_VERSION=5.3.0 scripts/update-designsystemet.sh
#   DS_THEME=altinn scripts/update-designsystemet.sh   # another brand theme
#   DS_THEME=default scripts/update-designsystemet.sh  # theme shipped in designsystemet-css
#
# Output (stable names, referenced from base.html):
#   designsystemet.css            components (@digdir/designsystemet-css, dist/src/index.css)
#   theme.css                     tokens (@digdir/designsystemet-theme, brand/<DS_THEME>.css)
#   LICENSE-designsystemet-css, LICENSE-designsystemet-theme, VERSION
#   ../inter/inter.css          @font-face for "Inter" (the family the theme names), the
#                               variable font, upright and italic, Latin and Latin Extended
#                               subsets only (Norwegian, Sami: æøå, áčđŋšŧž); each is
#                               fetched by the browser only when a page uses its characters
#   ../inter/*.woff2, ../inter/OFL.txt (the licence), ../inter/VERSION
#
# Offline / strict-CSP hardening applied to theme.css:
#   * any @import (e.g. a web font from a foreign host) is stripped;
#   * --ds-font-family gets a system-font fallback stack (the theme names
#     "Inter" with no fallback and ships no @font-face; ../inter/inter.css, served
#     from this site, supplies it, and the fallback covers the moment before it loads).
# The script fails if either file still references a non-data: url(),
# an @import or an @font-face afterwards.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/vendor/designsystemet"
DS_CSS_VERSION="${DS_CSS_VERSION:-latest}"
DS_THEME_VERSION="${DS_THEME_VERSION:-latest}"
DS_THEME="${DS_THEME:-digdir}"
INTER_VERSION="${INTER_VERSION:-latest}"
INTER_DEST="$ROOT/static/vendor/inter"

command -v npm >/dev/null || { echo "npm is required" >&2; exit 1; }
command -v node >/dev/null || { echo "node is required" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(
  cd "$WORK"
  npm init -y >/dev/null
  npm install --no-audit --no-fund \
    "@digdir/designsystemet-css@${DS_CSS_VERSION}" \
    "@digdir/designsystemet-theme@${DS_THEME_VERSION}" \
    "@fontsource-variable/inter@${INTER_VERSION}"
)

CSS_PKG="$WORK/node_modules/@digdir/designsystemet-css"
THEME_PKG="$WORK/node_modules/@digdir/designsystemet-theme"

# Main component CSS: whatever the package exports as "." (dist/src/index.css
# in 1.x), falling back to the "browser" field.
CSS_REL="$(node -e '
  const p = require(process.argv[1] + "/package.json");
  const e = p.exports && p.exports["."];
  const f = (e && (typeof e === "string" ? e : e.default)) || p.browser;
  if (!f) process.exit(1);
  console.log(f.replace(/^\.\//, ""));
' "$CSS_PKG")"

if [[ "$DS_THEME" == "default" ]]; then
  THEME_SRC_PKG="$CSS_PKG"; THEME_REL="dist/theme/designsystemet.css"
else
  THEME_SRC_PKG="$THEME_PKG"; THEME_REL="brand/${DS_THEME}.css"
fi

for f in "$CSS_PKG/$CSS_REL" "$THEME_SRC_PKG/$THEME_REL" \
         "$CSS_PKG/LICENSE" "$THEME_PKG/LICENSE"; do
  [[ -f "$f" ]] || { echo "missing expected file: $f" >&2
                     ls -R "$CSS_PKG" "$THEME_PKG" | grep '\.css$' >&2 || true
                     exit 1; }
done

CSS_VER="$(node -p 'require(process.argv[1] + "/package.json").version' "$CSS_PKG")"
THEME_VER="$(node -p 'require(process.argv[1] + "/package.json").version' "$THEME_PKG")"

mkdir -p "$DEST"
cp "$CSS_PKG/$CSS_REL" "$DEST/designsystemet.css"
cp "$CSS_PKG/LICENSE" "$DEST/LICENSE-designsystemet-css"
cp "$THEME_PKG/LICENSE" "$DEST/LICENSE-designsystemet-theme"

# Copy the theme, stripping @import and adding font fallbacks.
node - "$THEME_SRC_PKG/$THEME_REL" "$DEST/theme.css" <<'NODE'
const fs = require("fs");
const [src, dst] = process.argv.slice(2);
let css = fs.readFileSync(src, "utf8");
const notes = [];

css = css.replace(/@import\s+(url\()?\s*["']?([^"')\s;]+)["']?\s*\)?[^;]*;/g, (m, _u, target) => {
  notes.push(`stripped @import ${target}`);
  return "";
});

const SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';
const GENERIC = /\b(serif|sans-serif|monospace|system-ui|ui-monospace|ui-sans-serif)\b/;
let fonts = 0;
css = css.replace(/(--ds-font-family\s*:\s*)([^;}]+)/g, (m, prop, value) => {
  value = value.trim();
  if (GENERIC.test(value)) return m;
  fonts++;
  return prop + value + ", " + (/mono/i.test(value) ? MONO : SANS);
});
if (fonts === 0) {
  console.error("theme.css: found no --ds-font-family declaration to patch");
  process.exit(1);
}
notes.push(`added system-font fallbacks to ${fonts} --ds-font-family declaration(s)`);

const header = "/* Vendored by scripts/update-designsystemet.sh; do not edit by hand.\n" +
  notes.map((n) => " * " + n).join("\n") + "\n */\n";
// Keep @charset first if present.
const charset = css.match(/^@charset[^;]*;\s*/);
if (charset) css = charset[0] + header + css.slice(charset[0].length);
else css = header + css;
fs.writeFileSync(dst, css);
notes.forEach((n) => console.log("theme.css: " + n));
NODE

# Offline / CSP check: only data: URIs allowed, no @import, no web fonts.
node - "$DEST/designsystemet.css" "$DEST/theme.css" <<'NODE'
const fs = require("fs");
let bad = 0;
for (const f of process.argv.slice(2)) {
  const css = fs.readFileSync(f, "utf8");
  const urls = [...css.matchAll(/url\(\s*(["']?)([^"')]*)/g)].map((m) => m[2]);
  const external = urls.filter((u) => !u.startsWith("data:"));
  const problems = [
    ...external.map((u) => `non-data url(): ${u.slice(0, 80)}`),
    ...(/@import/.test(css) ? ["@import present"] : []),
    ...(/@font-face/.test(css) ? ["@font-face present"] : []),
  ];
  problems.forEach((p) => console.error(`${f}: ${p}`));
  bad += problems.length;
  console.log(`${f.split("/").pop()}: ${css.length} bytes, ${urls.length} url() (all data:) OK`);
}
if (bad) process.exit(1);
NODE

cat > "$DEST/VERSION" <<EOF
@digdir/designsystemet-css ${CSS_VER} (${CSS_REL} -> designsystemet.css)
@digdir/designsystemet-theme ${THEME_VER} ($( [[ "$DS_THEME" == "default" ]] && echo "designsystemet-css/${THEME_REL}" || echo "${THEME_REL}" ) -> theme.css)
EOF

# Inter: the variable font files (weights 100-900 in one file), Latin subsets, and their
# @font-face rules renamed from "Inter Variable" to "Inter", the name the theme uses.
INTER_PKG="$WORK/node_modules/@fontsource-variable/inter"
INTER_VER="$(node -p 'require(process.argv[1] + "/package.json").version' "$INTER_PKG")"
rm -rf "$INTER_DEST"
mkdir -p "$INTER_DEST"
cp "$INTER_PKG/LICENSE" "$INTER_DEST/OFL.txt"
node - "$INTER_PKG" "$INTER_DEST" <<'NODE'
const fs = require("fs");
const path = require("path");
const [pkg, dest] = process.argv.slice(2);
const SUBSETS = ["latin-ext", "latin"];
const out = ["/* Vendored by scripts/update-designsystemet.sh from @fontsource-variable/inter;\n" +
             " * do not edit by hand. Inter: SIL Open Font License 1.1, see OFL.txt. */"];
let faces = 0;
for (const sheet of ["wght.css", "wght-italic.css"]) {
  const css = fs.readFileSync(path.join(pkg, sheet), "utf8");
  for (const block of css.match(/\/\* [^*]+ \*\/\s*@font-face\s*{[^}]*}/g) || []) {
    const name = block.match(/\/\* (\S+) \*\//)[1];
    if (!SUBSETS.some((s) => name === `inter-${s}-wght-normal` || name === `inter-${s}-wght-italic`)) continue;
    const file = block.match(/url\(\.\/files\/([^)]+\.woff2)\)/)[1];
    fs.copyFileSync(path.join(pkg, "files", file), path.join(dest, file));
    out.push(block.replace(/font-family:\s*'Inter Variable'/, "font-family: 'Inter'")
                  .replace(/url\(\.\/files\//, "url(./"));
    faces++;
  }
}
if (faces !== 4) {
  console.error(`inter.css: expected 4 @font-face rules (2 subsets x upright/italic), found ${faces}`);
  process.exit(1);
}
fs.writeFileSync(path.join(dest, "inter.css"), out.join("\n\n") + "\n");
console.log(`inter.css: ${faces} @font-face rules`);
NODE
# Offline check: every url() in inter.css is a file next to it.
node - "$INTER_DEST/inter.css" <<'NODE'
const fs = require("fs");
const path = require("path");
const f = process.argv[2];
const urls = [...fs.readFileSync(f, "utf8").matchAll(/url\(\s*["']?([^"')]*)/g)].map((m) => m[1]);
const bad = urls.filter((u) => !/^\.\/[\w.-]+\.woff2$/.test(u) || !fs.existsSync(path.join(path.dirname(f), u)));
bad.forEach((u) => console.error(`${f}: url() not a local woff2: ${u}`));
if (bad.length) process.exit(1);
console.log(`inter.css: ${urls.length} url() (all local files) OK`);
NODE
echo "@fontsource-variable/inter ${INTER_VER} (wght.css, wght-italic.css: latin, latin-ext -> inter.css)" > "$INTER_DEST/VERSION"

echo "Vendored into ${DEST#"$ROOT"/} and ${INTER_DEST#"$ROOT"/}:"
cat "$DEST/VERSION" "$INTER_DEST/VERSION"
