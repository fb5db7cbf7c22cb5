// Prints the console's initial JavaScript (what index.html loads before any lazy route) gzipped,
// and fails the build above the budget.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 250;
const dist = new URL("../dist/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const size = (file) => gzipSync(readFileSync(join(dist, file))).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);
let initialJs = 0;
for (const file of initial) {
  const bytes = size(file);
  if (file.endsWith(".js")) initialJs += bytes;
  console.log(`initial  ${kb(bytes).padStart(7)} kB gzip  ${file}`);
}
const lazy = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js") && !initial.includes(`assets/${f}`));
const lazyTotal = lazy.reduce((total, f) => total + size(`assets/${f}`), 0);
console.log(`lazy     ${kb(lazyTotal).padStart(7)} kB gzip  in ${lazy.length} route/chart chunks`);
console.log(`console initial JavaScript: ${kb(initialJs)} kB gzip (budget ${BUDGET_KB} kB)`);
if (initialJs > BUDGET_KB * 1024) {
  console.error(`error: the initial JavaScript is over the ${BUDGET_KB} kB budget`);
  process.exit(1);
}
