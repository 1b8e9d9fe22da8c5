// Builds the prebuilt lab extension into tokentoss/labextension with the builder
// that JupyterLab 4.6 ships (jupyter-builder). It would otherwise download core
// metadata, which fails offline: point it at the installed staging package.
//
//   node scripts/build-labextension.mjs [--development]  one build
//   node scripts/build-labextension.mjs --watch          development build, again on every change of
//                                                        lib/ (npm run watch runs tsc -w beside it)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const python =
  process.env.PYTHON ??
  (existsSync('.venv/bin/python') ? '.venv/bin/python' : 'python3');
const [staging, builder] = execFileSync(python, [
  '-c',
  [
    'import jupyterlab, os, shutil, sys',
    'print(os.path.join(os.path.dirname(jupyterlab.__file__), "staging", "package.json"))',
    'bindir = os.path.dirname(sys.executable)',
    'print(shutil.which("jupyter-builder", path=bindir) or shutil.which("jupyter-builder") or "")'
  ].join('\n')
])
  .toString()
  .trim()
  .split('\n');
if (!builder) {
  throw new Error(
    `jupyter-builder not found next to ${python}: install jupyterlab>=4.6`
  );
}
const watch = process.argv.includes('--watch');
const args = [watch ? 'watch' : 'build', '.', '--core-package-file', staging];
if (watch || process.argv.includes('--development')) {
  args.push('--development=True', '--source-map=True');
}
const options = {
  stdio: 'inherit',
  env: { ...process.env, PATH: `${dirname(builder)}:${process.env.PATH}` }
};
if (watch) {
  // Runs until stopped: pass Ctrl-C / a stop on to the builder (and its webpack) and leave with it.
  const child = spawn(builder, args, options);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  execFileSync(builder, args, options);
  console.log(`lab extension built into ${join('tokentoss', 'labextension')}`);
}
