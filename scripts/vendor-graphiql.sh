#!/usr/bin/env bash
# Re-vendor the GraphiQL browser assets into cms/static/graphiql/.
#
# The files are exactly the ones strawberry-graphql's own graphiql.html loads
# from unpkg.com; we serve them ourselves so /graphql works without internet.
# Everything is fetched from the npm registry with `npm pack` (which checks each
# tarball against the registry's sha512 integrity), every file is checked
# against the sha384 SRI hash pinned below (the same hashes strawberry uses),
# and VERSIONS.md and LICENSES.txt are regenerated.
#
# Files in cms/static/graphiql/ that are ours (init.js, page.css, favicon.svg)
# are left alone.
#
# Needs: bash, npm, node, openssl, tar. Runs in a temp dir; nothing is written
# to the repository except cms/static/graphiql/{vendored files,VERSIONS.md,LICENSES.txt}.
#
# Usage: scripts/vendor-graphiql.sh

set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo_root/cms/static/graphiql"
work="$(mktemp -d "${TMPDIR:-/tmp}/vendor-graphiql.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# package@version | path inside the npm tarball | vendored file name | sha384 SRI
ASSETS=(
  "react@18.2.0|umd/react.production.min.js|react.production.min.js|sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"
  "react-dom@18.2.0|umd/react-dom.production.min.js|react-dom.production.min.js|sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"
  "js-cookie@3.0.5|dist/js.cookie.min.js|js.cookie.min.js|sha384-/vxhYfM1LENRhdpZ8dwEsQn/X4VhpbEZSiU4m/FwR+PVpzar4fkEOw8FP9Y+OfQN"
  "graphiql@3.8.3|graphiql.min.css|graphiql.min.css|sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM"
  "graphiql@3.8.3|graphiql.min.js|graphiql.min.js|sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"
  "@graphiql/plugin-explorer@1.0.2|dist/style.css|plugin-explorer.css|sha384-5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi"
  "@graphiql/plugin-explorer@1.0.2|dist/index.umd.js|plugin-explorer.umd.js|sha384-2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9"
)
# Packages whose licence texts go into LICENSES.txt (graphiql-explorer is bundled
# inside @graphiql/plugin-explorer's UMD build).
LICENSE_PACKAGES=(
  "react@18.2.0"
  "react-dom@18.2.0"
  "js-cookie@3.0.5"
  "graphiql@3.8.3"
  "@graphiql/plugin-explorer@1.0.2"
  "graphiql-explorer@0.9.0"
)

sri() { printf 'sha384-%s' "$(openssl dgst -sha384 -binary "$1" | openssl base64 -A)"; }

# Unpacked tarball directory for a package spec ("@scope/name@1.2.3").
pkg_dir() { printf '%s/pkg/%s' "$work" "$(printf '%s' "$1" | tr '/@' '__')"; }

fetch() {
  local spec="$1" dir tgz
  dir="$(pkg_dir "$spec")"
  [[ -d "$dir" ]] && return 0
  mkdir -p "$work/tgz" "$dir"
  tgz="$(cd "$work/tgz" && npm pack --silent "$spec" | tail -n 1)"
  tar -xzf "$work/tgz/$tgz" -C "$dir" --strip-components=1
}

licence_file() {
  find "$1" -maxdepth 1 -type f -iname 'licen[cs]e*' | sort | head -n 1
}

echo "Fetching packages from $(npm config get registry)"
for spec in "${LICENSE_PACKAGES[@]}"; do fetch "$spec"; done

mkdir -p "$dest"
for entry in "${ASSETS[@]}"; do
  IFS='|' read -r spec src name want <<<"$entry"
  file="$(pkg_dir "$spec")/$src"
  got="$(sri "$file")"
  if [[ "$got" != "$want" ]]; then
    echo "ERROR: $spec $src: integrity $got != pinned $want" >&2
    exit 1
  fi
  install -m 0644 "$file" "$dest/$name"
  echo "  $spec/$src -> cms/static/graphiql/$name ($want)"
done

# --- VERSIONS.md -------------------------------------------------------------
{
  echo "# Vendored GraphiQL assets"
  echo
  echo "These are byte-for-byte the files strawberry-graphql's default \`graphiql.html\`"
  echo "loads from unpkg.com, served locally so GraphiQL works without internet access."
  echo "Do not edit them; regenerate with \`scripts/vendor-graphiql.sh\` (uses \`npm pack\`)."
  echo "\`init.js\`, \`page.css\` and \`favicon.svg\` are ours and are not vendored."
  echo
  echo "| Package | File in package | Vendored as | Integrity (SRI) |"
  echo "|---|---|---|---|"
  for entry in "${ASSETS[@]}"; do
    IFS='|' read -r spec src name want <<<"$entry"
    echo "| \`$spec\` | \`$src\` | \`$name\` | \`$want\` |"
  done
  echo
  echo "All packages are MIT-licensed; see \`LICENSES.txt\` (which also lists the"
  echo "third-party code bundled inside \`graphiql.min.js\`)."
} >"$dest/VERSIONS.md"

# --- LICENSES.txt --------------------------------------------------------------
# Third-party packages bundled inside graphiql.min.js, taken from its source map.
# Their licence files come from a throwaway `npm install` of graphiql's dependency
# tree (versions resolved today, which may differ slightly from graphiql's build).
graphiql_dir="$(pkg_dir graphiql@3.8.3)"
npm_install() {
  npm install --silent --prefix "$1" --ignore-scripts --no-audit --no-fund --omit=dev \
    "${@:2}" >/dev/null
}
cat >"$work/bundled.js" <<'NODE'
const fs = require("fs");
const path = require("path");
// Usage: node bundled.js [--missing] MAP_FILE NODE_MODULES...
// Prints the "bundled third-party code" part of LICENSES.txt, or with
// --missing only the bundled package names not found in NODE_MODULES.
const args = process.argv.slice(2);
const missingOnly = args[0] === "--missing";
const [mapFile, ...roots] = missingOnly ? args.slice(1) : args;

// Index installed packages breadth-first (hoisted versions win over nested ones).
const index = new Map();
const queue = [...roots];
while (queue.length) {
  const dir = queue.shift();
  if (!fs.existsSync(dir)) continue;
  for (const entry of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (entry.startsWith("@")) { queue.push(full); continue; }
    const pj = path.join(full, "package.json");
    if (!fs.existsSync(pj)) continue;
    const pkg = JSON.parse(fs.readFileSync(pj, "utf8"));
    if (pkg.name && !index.has(pkg.name)) index.set(pkg.name, { dir: full, pkg });
    queue.push(path.join(full, "node_modules"));
  }
}

// Map source-map sources to npm package names.
const names = new Set();
const graphiqlOwn = /^(\.\/|\.\.\/\.\.\/(graphiql-react|graphiql-toolkit|src)\/|webpack\/|external )/;
for (let src of JSON.parse(fs.readFileSync(mapFile, "utf8")).sources) {
  src = src.replace(/^webpack:\/\/GraphiQL\//, "");
  let m;
  if ((m = src.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//))) names.add(m[1]);
  else if ((m = src.match(/^packages\/(react|core)\/([^/]+)\//)))
    names.add(m[1] === "react" ? `@radix-ui/react-${m[2]}` : `@radix-ui/${m[2]}`);
  else if (src.includes("/fb55/entities/")) names.add("entities");
  else if (!graphiqlOwn.test(src)) console.error(`vendor-graphiql: unclassified source ${src}`);
}

if (missingOnly) {
  for (const name of [...names].sort()) if (!index.has(name)) console.log(name);
  process.exit(0);
}

const other = [];
const out = [];
out.push("========================================================================");
out.push("Third-party code bundled inside graphiql.min.js");
out.push("========================================================================");
out.push("");
out.push("graphiql.min.js also contains code from the graphql/graphiql monorepo");
out.push("(@graphiql/react, @graphiql/toolkit, codemirror-graphql,");
out.push("graphql-language-service; licence as for graphiql above) and from these");
out.push("packages (list from the file's source map; versions and notices as resolved");
out.push("from npm when this file was generated, so a version may differ slightly from");
out.push("the one graphiql@3.8.3 was built with):");
out.push("");
for (const name of [...names].sort()) {
  const hit = index.get(name);
  if (!hit) { out.push(`${name}  (not found in the installed tree)`); continue; }
  const { dir, pkg } = hit;
  const lic = typeof pkg.license === "string" ? pkg.license : JSON.stringify(pkg.license);
  out.push(`${pkg.name}@${pkg.version}  (${lic})`);
  const file = fs.readdirSync(dir).sort().find((f) => /^licen[cs]e/i.test(f));
  let notices = [];
  if (file) {
    notices = fs.readFileSync(path.join(dir, file), "utf8").split(/\r?\n/)
      .map((l) => l.trim()).filter((l) => /^(copyright\b|\(c\)|©)/i.test(l) && !/holders/i.test(l));
  }
  if (!notices.length) {
    const author = typeof pkg.author === "object" ? pkg.author.name : pkg.author;
    notices = [file ? `(no copyright line in ${file})` : "(no licence file in the npm package)"];
    if (author) notices.push(`author: ${author}`);
  }
  for (const n of notices) out.push(`    ${n}`);
  if (lic !== "MIT" && file) other.push([`${pkg.name}@${pkg.version} (${lic})`, path.join(dir, file)]);
}
out.push("");
out.push("The MIT-licensed packages above are each distributed under these terms");
out.push("(with their own copyright notice, as listed):");
out.push("");
out.push(`Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`);
for (const [title, file] of other) {
  out.push("");
  out.push("------------------------------------------------------------------------");
  out.push(title);
  out.push("------------------------------------------------------------------------");
  out.push(fs.readFileSync(file, "utf8").trimEnd());
}
process.stdout.write(out.join("\n") + "\n");
NODE
bundled() {
  node "$work/bundled.js" "$@" "$graphiql_dir/graphiql.min.js.map" \
    "$work/tree/node_modules" "$work/extra/node_modules"
}
npm_install "$work/tree" graphiql@3.8.3 graphql@16 react@18.2.0 react-dom@18.2.0
# Packages graphiql's build bundled that today's resolution no longer pulls in.
mapfile -t missing < <(bundled --missing)
if ((${#missing[@]})); then npm_install "$work/extra" "${missing[@]}"; fi

{
  echo "Licences of the vendored GraphiQL assets in this directory"
  echo "=========================================================="
  echo
  echo "All vendored packages are under the MIT licence. Full texts follow."
  for spec in "${LICENSE_PACKAGES[@]}"; do
    dir="$(pkg_dir "$spec")"
    lic="$(node -p "require('$dir/package.json').license")"
    echo
    echo "------------------------------------------------------------------------"
    echo "$spec  ($lic)"
    echo "------------------------------------------------------------------------"
    file="$(licence_file "$dir")"
    if [[ -z "$file" ]]; then
      # @graphiql/plugin-explorer ships no LICENSE file; it lives in the
      # graphql/graphiql monorepo, whose LICENSE is the one graphiql ships.
      echo "(The npm package ships no licence file; it is part of the"
      echo "github.com/graphql/graphiql monorepo, whose licence is:)"
      echo
      file="$(licence_file "$graphiql_dir")"
    fi
    cat "$file"
  done
  echo
  bundled
} >"$dest/LICENSES.txt"

echo "Wrote $dest/VERSIONS.md and $dest/LICENSES.txt"
