#!/usr/bin/env node
// JupyterLab's time to a ready application (`app.restored`, measured in the page from navigation
// start) with and without tokentoss, in the same run, alternating, on two JupyterLab servers started
// here; and the click-to-token-file time of a sign-in against the local identity provider
// (demo/servers.mjs), no human in the loop. Debian's Chromium driven by ui-tests' playwright-core.
// The extension is a production build made in a scratch folder (the work tree's build is untouched).
//
//   node benchmarks/load_time.mjs [--runs N] [--signins N]
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { PYTHON, ROOT, productionBuild } from './lib.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 7);
const SIGNINS = arg('--signins', 5);
// The same browser and flags as the Galata tests.
const CHROMIUM_DEFAULTS = JSON.parse(
  readFileSync(join(ROOT, 'ui-tests', 'chromium.json'), 'utf8')
);
const CHROMIUM =
  process.env.TOKENTOSS_CHROMIUM ?? CHROMIUM_DEFAULTS.executablePath;
const CHROMIUM_ARGS = CHROMIUM_DEFAULTS.args;
const require = createRequire(join(ROOT, 'ui-tests', 'package.json'));
const { chromium } = require('playwright-core');

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = xs => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = ms => `${ms.toFixed(0)} ms`;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const children = [];
process.on('exit', () => children.forEach(child => child.kill('SIGTERM')));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(130));
}

/** demo/servers.mjs on free ports; resolves with its JSON line (issuer, service, client). */
function startDemo(logFile) {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'demo', 'servers.mjs'),
      '--idp-port',
      '0',
      '--service-port',
      '0'
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  children.push(child);
  const log = [];
  child.stderr.on('data', d => log.push(d));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', line =>
      resolve(JSON.parse(line))
    );
    child.once('exit', code => {
      writeFileSync(logFile, Buffer.concat(log));
      reject(new Error(`demo/servers.mjs exited ${code}: see ${logFile}`));
    });
  });
}

/** A JupyterLab server with or without tokentoss (lab extension and server extension). */
async function startLab(work, name, { withExtension, labextensions }) {
  const dir = join(work, name);
  const port = await freePort();
  for (const sub of ['root', 'config', 'workspaces']) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  const config = join(dir, 'bench_config.py');
  writeFileSync(
    config,
    [
      'import os',
      'c.ServerApp.ip = "127.0.0.1"',
      `c.ServerApp.port = ${port}`,
      'c.ServerApp.port_retries = 0',
      'c.ServerApp.open_browser = False',
      `c.ServerApp.root_dir = ${JSON.stringify(join(dir, 'root'))}`,
      'c.IdentityProvider.token = ""',
      'c.ServerApp.allow_root = hasattr(os, "geteuid") and os.geteuid() == 0',
      `c.ServerApp.jpserver_extensions = {"tokentoss": ${withExtension ? 'True' : 'False'}}`,
      `c.LabApp.labextensions_path = ${JSON.stringify(labextensions)}`,
      'c.LabApp.extra_labextensions_path = []',
      'c.LabApp.expose_app_in_browser = True',
      'c.LabApp.news_url = None',
      'c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"'
    ].join('\n')
  );
  const child = spawn(PYTHON, ['-m', 'jupyterlab', '--config', config], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      JUPYTER_CONFIG_DIR: join(dir, 'config'),
      JUPYTERLAB_SETTINGS_DIR: join(work, 'settings'),
      JUPYTERLAB_WORKSPACES_DIR: join(dir, 'workspaces'),
      TOKENTOSS_TOKEN_FILE: join(work, 'tokens', 'tokens.json')
    }
  });
  children.push(child);
  const log = [];
  child.stderr.on('data', d => log.push(d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) {
      throw new Error(`jupyter lab (${name}) exited: ${Buffer.concat(log)}`);
    }
    try {
      if ((await fetch(`${base}/api/status`)).ok) {
        return { name, base, child, log };
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`jupyter lab (${name}) did not start: ${Buffer.concat(log)}`);
}

/** Milliseconds from navigation start to `app.restored` in a fresh context (empty cache). */
async function timeToReady(browser, lab, onPage) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const fetched = [];
  page.on('response', async response => {
    const url = response.url();
    if (url.includes('/lab/extensions/tokentoss/static/')) {
      fetched.push(url.split('/static/')[1].split('?')[0]);
    }
  });
  await page.addInitScript(() => {
    const poll = () => {
      const app = window.jupyterapp;
      if (app) {
        app.restored.then(() => (window.__tokentossReady = performance.now()));
      } else {
        setTimeout(poll, 2);
      }
    };
    poll();
  });
  await page.goto(`${lab.base}/lab?reset`, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => window.__tokentossReady !== undefined,
    null,
    {
      timeout: 120_000,
      polling: 10
    }
  );
  const ready = await page.evaluate(() => window.__tokentossReady);
  const loadFetched = [...fetched];
  const extra = onPage ? await onPage(page, fetched) : undefined;
  await context.close();
  return { ready, loadFetched, extra };
}

/** Clicks Sign in in the sidebar; milliseconds until the server has written the token file. */
async function clickToTokenFile(page, tokenFile, fetched) {
  await page.click('.jp-SideBar .lm-TabBar-tab[data-id="tokentoss-panel"]');
  const button = page
    .locator('#tokentoss-panel')
    .getByRole('button', { name: 'Sign in with Google' });
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  rmSync(tokenFile, { force: true });
  const before = fetched.length;
  const popup = page.waitForEvent('popup');
  const start = performance.now();
  await button.click();
  let elapsed;
  for (;;) {
    if (existsSync(tokenFile)) {
      try {
        JSON.parse(readFileSync(tokenFile, 'utf8'));
        elapsed = performance.now() - start;
        break;
      } catch {
        // being replaced right now: the rename is atomic, so this is a stale read; try again
      }
    }
    if (performance.now() - start > 60_000) {
      throw new Error('no token file 60 s after the click');
    }
    await sleep(2);
  }
  await (
    await popup
  )
    .waitForEvent('close', { timeout: 30_000 })
    .catch(() => undefined);
  return { elapsed, signInFetched: fetched.slice(before) };
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: apt-get install chromium (or set TOKENTOSS_CHROMIUM)`
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'tokentoss-bench-'));
  console.error(`scratch folder ${work}; production build…`);
  const { labext } = productionBuild();

  // The venv's other lab extensions for both servers; tokentoss (production build) for one only.
  const venvLabext = join(ROOT, '.venv', 'share', 'jupyter', 'labextensions');
  const base = join(work, 'labextensions-base');
  const withDir = join(work, 'labextensions-with');
  mkdirSync(base);
  mkdirSync(withDir);
  for (const name of existsSync(venvLabext) ? readdirSync(venvLabext) : []) {
    if (name !== 'tokentoss') {
      symlinkSync(join(venvLabext, name), join(base, name));
    }
  }
  symlinkSync(labext, join(withDir, 'tokentoss'));

  const demo = await startDemo(join(work, 'servers.log'));
  mkdirSync(join(work, 'settings', 'tokentoss'), { recursive: true });
  writeFileSync(
    join(work, 'settings', 'tokentoss', 'plugin.jupyterlab-settings'),
    JSON.stringify({
      clientId: demo.client_id,
      clientSecret: demo.client_secret,
      issuer: demo.issuer
    })
  );
  const tokenFile = join(work, 'tokens', 'tokens.json');

  console.error('starting JupyterLab with and without tokentoss…');
  const [withLab, withoutLab] = await Promise.all([
    startLab(work, 'with', {
      withExtension: true,
      labextensions: [withDir, base]
    }),
    startLab(work, 'without', { withExtension: false, labextensions: [base] })
  ]);
  const status = await fetch(`${withoutLab.base}/tokentoss/status`);
  if (status.status !== 404) {
    throw new Error('the "without" server still serves tokentoss/status');
  }

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS
  });
  const times = { with: [], without: [] };
  let loadFetched = [];
  // One warm-up each (Python imports, server caches), then alternate so drift hits both alike.
  await timeToReady(browser, withLab);
  await timeToReady(browser, withoutLab);
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 ? [withoutLab, withLab] : [withLab, withoutLab];
    for (const lab of order) {
      const run = await timeToReady(browser, lab);
      times[lab.name].push(run.ready);
      if (lab === withLab) {
        loadFetched = run.loadFetched;
      }
    }
  }

  const signIns = [];
  let signInFetched = [];
  for (let i = 0; i < SIGNINS; i++) {
    rmSync(tokenFile, { force: true }); // signed out before the page loads
    const run = await timeToReady(browser, withLab, (page, fetched) =>
      clickToTokenFile(page, tokenFile, fetched)
    );
    signIns.push(run.extra.elapsed);
    signInFetched = run.extra.signInFetched;
  }
  await browser.close();

  const version = (await import('node:child_process'))
    .execFileSync(CHROMIUM, ['--version'], {
      stdio: ['ignore', 'pipe', 'ignore']
    })
    .toString()
    .trim();
  console.log(
    `${version}; ${RUNS} runs each after one warm-up, alternating; fresh browser context per run`
  );
  console.log(
    '\nTime to a ready JupyterLab (navigation start → app.restored):'
  );
  for (const name of ['without', 'with']) {
    const xs = times[name];
    console.log(
      `  ${name.padEnd(8)} median ${fmt(median(xs))}  mean ${fmt(mean(xs))}  min ${fmt(Math.min(...xs))}  max ${fmt(Math.max(...xs))}  [${xs.map(x => x.toFixed(0)).join(', ')}]`
    );
  }
  const ratio = median(times.with) / median(times.without);
  console.log(
    `  ratio with/without (medians): ${ratio.toFixed(3)}  (${fmt(median(times.with) - median(times.without))})`
  );
  console.log(`  tokentoss files fetched at load: ${loadFetched.join(', ')}`);
  console.log(
    '\nClick "Sign in with Google" → token file written (fresh context: flow chunk not cached):'
  );
  console.log(
    `  median ${fmt(median(signIns))}  mean ${fmt(mean(signIns))}  min ${fmt(Math.min(...signIns))}  max ${fmt(Math.max(...signIns))}  [${signIns.map(x => x.toFixed(0)).join(', ')}]`
  );
  console.log(
    `  tokentoss files fetched by the sign-in: ${signInFetched.join(', ')}`
  );
  rmSync(work, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  }
);
