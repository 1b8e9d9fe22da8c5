// Shared by the benchmarks: a production build of the lab extension (with webpack stats) in a
// scratch copy of the sources, gzip sizes, and what the remoteEntry says each exposed module needs.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PYTHON =
  process.env.PYTHON ?? join(ROOT, '.venv', 'bin', 'python');

/** Bytes after gzip at the level the Jupyter server (tornado) uses for responses, and at 9. */
export function gzipSizes(buffer) {
  return {
    raw: buffer.length,
    gzip: gzipSync(buffer, { level: 6 }).length,
    gzip9: gzipSync(buffer, { level: 9 }).length
  };
}

export const kib = bytes => `${(bytes / 1024).toFixed(2)} KiB`;

// A webpack plugin, merged into the builder's config through `jupyterlab.webpackConfig` of the
// scratch copy's package.json: writes the compilation's stats next to the output. It changes nothing
// else in the build.
const STATS_CONFIG = `
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
module.exports = {
  plugins: [{
    apply(compiler) {
      compiler.hooks.done.tap('tokentoss-stats', stats => {
        const json = stats.toJson({
          assets: true, chunks: true, chunkModules: true, chunkRelations: true, ids: true,
          nestedModules: true, modules: false, source: false, reasons: false,
          chunkModulesSpace: 1000, nestedModulesSpace: 1000
        });
        writeFileSync(join(__dirname, 'webpack-stats.json'), JSON.stringify(json));
      });
    }
  }]
};
`;

/**
 * `npm run build:prod` (tsc, then the builder in production mode) in a scratch copy of the sources,
 * so the work tree's build (often a development build) is left alone. Returns the built extension's
 * folder and the webpack stats.
 */
export function productionBuild({ quiet = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tokentoss-bench-build-'));
  for (const name of [
    'src',
    'style',
    'schema',
    'scripts',
    'tsconfig.json',
    'install.json'
  ]) {
    cpSync(join(ROOT, name), join(dir, name), { recursive: true });
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  pkg.jupyterlab.webpackConfig = './webpack.stats.cjs';
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(join(dir, 'webpack.stats.cjs'), STATS_CONFIG);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const stdio = quiet ? 'pipe' : 'inherit';
  const env = { ...process.env, PYTHON };
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), [], {
    cwd: dir,
    stdio,
    env
  });
  execFileSync(process.execPath, ['scripts/build-labextension.mjs'], {
    cwd: dir,
    stdio,
    env
  });
  const labext = join(dir, pkg.jupyterlab.outputDir);
  const stats = JSON.parse(
    readFileSync(join(dir, 'webpack-stats.json'), 'utf8')
  );
  return { dir, labext, stats };
}

/**
 * What JupyterLab fetches at load, read from the built files themselves: the remoteEntry named in
 * package.json's `jupyterlab._build.load`, plus the chunks its module map loads for `./extension`
 * and `./style` (the two modules JupyterLab asks for; `./index` is not requested). Returns chunk ids.
 */
export function loadTimeChunks(labext) {
  const meta = JSON.parse(readFileSync(join(labext, 'package.json'), 'utf8'));
  const build = meta.jupyterlab._build;
  const remoteEntry = build.load;
  const source = readFileSync(join(labext, remoteEntry), 'utf8');
  const exposed = {};
  for (const module of [
    build.extension,
    build.mimeExtension,
    build.style
  ].filter(Boolean)) {
    const at = source.indexOf(`"${module}":`);
    if (at < 0) {
      throw new Error(`${module} not found in ${remoteEntry}'s module map`);
    }
    const body = source.slice(at, source.indexOf('.then(', at));
    exposed[module] = [...body.matchAll(/\.e\(("?)([\w-]+)\1\)/g)].map(
      m => m[2]
    );
  }
  return { remoteEntry, exposed };
}

/** Files of the extension's static folder, by name. */
export function staticFiles(labext) {
  const dir = join(labext, 'static');
  return Object.fromEntries(
    readdirSync(dir).map(name => [name, join(dir, name)])
  );
}

export function requireExists(path, hint) {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: ${hint}`);
  }
}
