/**
 * Galata end-to-end tests in Debian's Chromium against real servers: JupyterLab with the tokentoss
 * server extension (twice: at `/` and under a JupyterHub-style base URL `/user/alice/`) and the local
 * identity provider + protected service of demo/servers.mjs.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import galataConfig from '@jupyterlab/galata/lib/playwright-config';
import { defineConfig, PlaywrightTestConfig } from '@playwright/test';

import chromium from './chromium.json';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  IDP_PORT,
  ISSUER,
  LABS,
  SERVICE_PORT,
  runDir
} from './tests/env';

// Galata's defaults (reporters, viewport, timeouts); its .d.ts declares nothing.
const baseConfig = galataConfig as unknown as PlaywrightTestConfig;

// One folder per run for token files and notebooks. The config is evaluated again in each worker:
// the environment variable (inherited by the workers) keeps them on the same folder.
process.env.TOKENTOSS_UI_RUN_DIR ??= mkdtempSync(
  join(tmpdir(), 'tokentoss-ui-')
);

const jupyter = join(__dirname, '..', '.venv', 'bin', 'jupyter');

const labServers = LABS.map(lab => {
  const dir = join(runDir(), lab.name);
  mkdirSync(join(dir, 'root'), { recursive: true });
  mkdirSync(join(dir, 'jupyter-config'), { recursive: true });
  return {
    // Logs go to a file in the run folder (its path is printed by JupyterLab's first line on failure).
    command: `${jupyter} lab --config jupyter_server_test_config.py > ${join(dir, 'jupyter.log')} 2>&1`,
    url: `http://127.0.0.1:${lab.port}${lab.baseUrl}lab`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore' as const,
    stderr: 'ignore' as const,
    env: {
      ...(process.env as Record<string, string>),
      TOKENTOSS_UI_PORT: String(lab.port),
      TOKENTOSS_UI_BASE_URL: lab.baseUrl,
      TOKENTOSS_TOKEN_FILE: join(dir, 'tokens', 'tokens.json'),
      JUPYTERLAB_GALATA_ROOT_DIR: join(dir, 'root'),
      JUPYTER_CONFIG_DIR: join(dir, 'jupyter-config'),
      JUPYTERLAB_SETTINGS_DIR: join(dir, 'settings'),
      ...(lab.serverClient
        ? {
            TOKENTOSS_UI_SERVER_CLIENT: '1',
            TOKENTOSS_UI_CLIENT_ID: CLIENT_ID,
            TOKENTOSS_UI_CLIENT_SECRET: CLIENT_SECRET,
            TOKENTOSS_UI_ISSUER: ISSUER
          }
        : {})
    }
  };
});

console.log(`tokentoss UI tests: token files and server logs in ${runDir()}`);

export default defineConfig({
  ...baseConfig,
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    ...baseConfig.use,
    video: 'off',
    trace: 'retain-on-failure',
    // Debian's Chromium (Playwright never downloads its own), with the flags of chromium.json.
    launchOptions: chromium
  },
  projects: LABS.map(lab => ({
    name: lab.name,
    // The server-held client has its own spec; the others configure the client in the settings.
    ...(lab.serverClient
      ? { testMatch: /server-client\.spec\.ts/ }
      : { testIgnore: /server-client\.spec\.ts/ }),
    use: {
      baseURL: `http://127.0.0.1:${lab.port}${lab.baseUrl.replace(/\/$/, '')}`
    }
  })),
  webServer: [
    {
      command: `node ../demo/servers.mjs --idp-port ${IDP_PORT} --service-port ${SERVICE_PORT} 2> ${join(runDir(), 'servers.log')}`,
      url: `http://127.0.0.1:${SERVICE_PORT}/__stats`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe'
    },
    ...labServers
  ]
});
