/**
 * Browser tests on a real JupyterHub (PyPI jupyterhub + npm configurable-http-proxy, on loopback):
 * two users, alice and bob, each with a server and a home of their own, the OAuth client held by every
 * user's server (demo/jupyterhub_config.py). Two projects: `hub-one-origin` and `hub-subdomain`
 * (subdomain_host). Run: npx playwright test -c playwright.hub.config.ts [--project NAME]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defineConfig } from '@playwright/test';

import chromium from './chromium.json';
import {
  CLIENT_ID,
  HUBS,
  IDP_PORT,
  PASSWORD,
  SERVICE_PORT,
  hubDir,
  runDir
} from './hub-tests/hub-env';

// Evaluated again in each worker: the environment (inherited by the workers) keeps the same values.
process.env.TOKENTOSS_HUB_RUN_DIR ??= mkdtempSync(
  join(tmpdir(), 'tokentoss-hub-')
);
process.env.TOKENTOSS_HUB_CLIENT_SECRET ??=
  'hub-secret-' + randomBytes(16).toString('hex');

const root = join(__dirname, '..');
const jupyterhub = join(root, '.venv', 'bin', 'jupyterhub');

const hubServers = HUBS.map(hub => {
  const dir = hubDir(hub);
  mkdirSync(dir, { recursive: true });
  return {
    // exec: the hub itself gets the SIGTERM and stops what it started (proxy, servers, services),
    // which run in sessions of their own and would outlive a SIGKILL of the process group.
    command: `exec ${jupyterhub} -f ${join(root, 'demo', 'jupyterhub_config.py')} > ${join(dir, 'jupyterhub.log')} 2>&1`,
    cwd: dir,
    url: `http://127.0.0.1:${hub.port}/hub/health`,
    timeout: 180_000,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 60_000 },
    reuseExistingServer: false,
    stdout: 'ignore' as const,
    stderr: 'ignore' as const,
    env: {
      ...(process.env as Record<string, string>),
      TOKENTOSS_HUB_PORT: String(hub.port),
      TOKENTOSS_HUB_SUBDOMAINS: hub.subdomains ? '1' : '0',
      TOKENTOSS_HUB_DIR: dir,
      TOKENTOSS_HUB_ISSUER: `http://127.0.0.1:${IDP_PORT}`,
      TOKENTOSS_HUB_CLIENT_ID: CLIENT_ID,
      TOKENTOSS_HUB_PASSWORD: PASSWORD,
      TOKENTOSS_HUB_ATTACKER: '1',
      TOKENTOSS_HUB_EXPOSE_APP: '1'
    }
  };
});

console.log(`tokentoss hub tests: hub logs and users' homes in ${runDir()}`);

export default defineConfig({
  testDir: './hub-tests',
  // Two logins, two spawns, two sign-ins and kernels per test on a busy 2-core machine.
  timeout: 600_000,
  expect: { timeout: 60_000 },
  workers: 1,
  retries: 0,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'playwright-report-hub' }]
  ],
  use: {
    video: 'off',
    trace: 'retain-on-failure',
    actionTimeout: 60_000,
    navigationTimeout: 240_000,
    // Debian's Chromium (Playwright never downloads its own), with the flags of chromium.json.
    launchOptions: chromium
  },
  projects: HUBS.map(hub => ({ name: hub.name, use: { baseURL: hub.url } })),
  webServer: [
    {
      command: `node ../demo/servers.mjs --idp-port ${IDP_PORT} --service-port ${SERVICE_PORT} --client-id ${CLIENT_ID} --client-secret ${process.env.TOKENTOSS_HUB_CLIENT_SECRET} --accounts alice@example.com,bob@example.com 2> ${join(runDir(), 'servers.log')}`,
      url: `http://127.0.0.1:${SERVICE_PORT}/__stats`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe'
    },
    ...hubServers
  ]
});
