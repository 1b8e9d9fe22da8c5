#!/usr/bin/env node
// What users download: the gzip size of the extension's JavaScript that JupyterLab fetches at load
// (remoteEntry + the chunks of `./extension` and `./style`), and of what is fetched later, on first
// use: the panel's drawing when the sidebar panel is first shown (`tokentoss-panel`), the masked
// client secret when the Settings Editor first draws tokentoss (`tokentoss-settings`), the sign-in
// code at the first sign-in (`tokentoss-flow` and its vendor chunk with oauth4webapi and jose). Builds for production in a scratch
// copy (about 20 s), reads the load set from the built remoteEntry and the lazy set from webpack's
// stats, and lists the largest modules of the load-time chunks.
//
//   node benchmarks/bundle_size.mjs [--json]
import { readFileSync } from 'node:fs';

import {
  gzipSizes,
  kib,
  loadTimeChunks,
  productionBuild,
  staticFiles
} from './lib.mjs';

const TARGET_LOAD_GZIP = 10 * 1024;
const asJson = process.argv.includes('--json');

const { labext, stats } = productionBuild();
const files = staticFiles(labext);
const { remoteEntry, exposed } = loadTimeChunks(labext);

const chunkById = new Map(stats.chunks.map(chunk => [String(chunk.id), chunk]));
const jsFilesOf = id => {
  const chunk = chunkById.get(String(id));
  if (!chunk) {
    throw new Error(
      `chunk ${id} (from the remoteEntry) is not in webpack's stats`
    );
  }
  return chunk.files.map(f => f.split('?')[0]).filter(f => f.endsWith('.js'));
};

// Load time: the remoteEntry, then what `./extension` and `./style` need.
const loadChunkIds = [...new Set(Object.values(exposed).flat())];
const loadFiles = [
  remoteEntry.replace(/^static\//, ''),
  ...loadChunkIds.flatMap(jsFilesOf)
];

// Later: every async chunk reachable from the load-time chunks that is not loaded already.
const lazyIds = new Set();
const queue = [...loadChunkIds];
while (queue.length) {
  const chunk = chunkById.get(String(queue.shift()));
  for (const child of chunk?.children ?? []) {
    if (!loadChunkIds.includes(String(child)) && !lazyIds.has(String(child))) {
      lazyIds.add(String(child));
      queue.push(String(child));
    }
  }
}
// The panel's chunk is fetched when the panel is first shown, the settings chunk when the Settings
// Editor first draws tokentoss; every other lazy chunk at sign-in.
const named = name => id => chunkById.get(String(id)).names.includes(name);
const isPanelChunk = named('tokentoss-panel');
const isSettingsChunk = named('tokentoss-settings');
const panelIds = [...lazyIds].filter(isPanelChunk);
const settingsIds = [...lazyIds].filter(isSettingsChunk);
const signInIds = [...lazyIds].filter(
  id => !isPanelChunk(id) && !isSettingsChunk(id)
);

const measure = names =>
  names.map(name => ({ file: name, ...gzipSizes(readFileSync(files[name])) }));
const total = rows =>
  rows.reduce(
    (t, r) => ({
      raw: t.raw + r.raw,
      gzip: t.gzip + r.gzip,
      gzip9: t.gzip9 + r.gzip9
    }),
    {
      raw: 0,
      gzip: 0,
      gzip9: 0
    }
  );
const load = measure(loadFiles);
const panel = measure(panelIds.flatMap(jsFilesOf));
const settingsEditor = measure(settingsIds.flatMap(jsFilesOf));
const lazy = measure(signInIds.flatMap(jsFilesOf));

// The largest source modules (before minification) in the load-time chunks: where the bytes go.
const modulesOf = id =>
  (chunkById.get(String(id)).modules ?? []).flatMap(m =>
    m.modules
      ? m.modules.map(n => ({ name: n.name, size: n.size }))
      : [{ name: m.name, size: m.size }]
  );
const loadModules = loadChunkIds
  .flatMap(modulesOf)
  .filter(
    m => !m.name.startsWith('consume shared') && !m.name.startsWith('webpack/')
  )
  .map(m => ({
    ...m,
    name: m.name.replace(/^.*?node_modules\//, 'node_modules/')
  }))
  .sort((a, b) => b.size - a.size);

const report = {
  loadTime: { files: load, total: total(load), exposed },
  firstPanelShow: { files: panel, total: total(panel) },
  firstSettingsEditor: {
    files: settingsEditor,
    total: total(settingsEditor)
  },
  firstSignIn: {
    files: lazy,
    total: total(lazy),
    chunks: signInIds.map(id => ({ id, names: chunkById.get(id).names }))
  },
  targetLoadGzip: TARGET_LOAD_GZIP,
  largestLoadTimeModules: loadModules.slice(0, 15)
};

if (asJson) {
  console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}

const row = r =>
  `  ${r.file.padEnd(44)} ${String(r.raw).padStart(8)} B ${kib(r.gzip).padStart(11)} ${kib(r.gzip9).padStart(11)}`;
const header = `  ${'file'.padEnd(44)} ${'minified'.padStart(10)} ${'gzip -6'.padStart(11)} ${'gzip -9'.padStart(11)}`;
console.log('At JupyterLab load (remoteEntry + ./extension + ./style):');
console.log(header);
load.forEach(r => console.log(row(r)));
console.log(row({ file: 'total', ...report.loadTime.total }));
const over = report.loadTime.total.gzip - TARGET_LOAD_GZIP;
console.log(
  `  target ≤ ${kib(TARGET_LOAD_GZIP)} gzip: ${over <= 0 ? 'met' : `over by ${kib(over)}`}`
);
console.log('\nWhen the sidebar panel is first shown (lazy chunk):');
console.log(header);
panel.forEach(r => console.log(row(r)));
console.log(
  '\nWhen the Settings Editor first draws tokentoss (lazy chunk, the masked secret):'
);
console.log(header);
settingsEditor.forEach(r => console.log(row(r)));
console.log('\nAt the first sign-in (lazy chunks):');
console.log(header);
lazy.forEach(r => console.log(row(r)));
console.log(row({ file: 'total', ...report.firstSignIn.total }));
console.log(
  `  chunks: ${report.firstSignIn.chunks.map(c => `${c.id}${c.names.length ? ` (${c.names.join(', ')})` : ''}`).join(', ')}`
);
console.log('\nLargest modules at load (source size before minification):');
for (const m of report.largestLoadTimeModules) {
  console.log(`  ${String(m.size).padStart(7)} B  ${m.name}`);
}
