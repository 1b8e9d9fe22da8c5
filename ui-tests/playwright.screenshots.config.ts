/**
 * The README's screenshots (`npm run screenshots`, `make screenshots`): screenshots/readme-shots.spec.ts
 * drives the real UI in Debian's Chromium against a JupyterLab with the tokentoss server extension and
 * the demo provider + service on `make demo`'s ports (moved by TOKENTOSS_UI_PORT_OFFSET), so the
 * URLs in the pictures are the README's. PNGs go to TOKENTOSS_SCREENSHOTS_DIR (default: docs/images).
 * Not part of `npx playwright test`: this config only runs when named with `-c`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import galataConfig from '@jupyterlab/galata/lib/playwright-config';
import { defineConfig, PlaywrightTestConfig } from '@playwright/test';

import chromium from './chromium.json';
import {
  SHOTS_IDP_PORT,
  SHOTS_LAB_PORT,
  SHOTS_SERVICE_PORT
} from './screenshots/shots-env';
import { demoServers, jupyterServer } from './servers';

const baseConfig = galataConfig as unknown as PlaywrightTestConfig;

// As in playwright.config.ts: one scratch folder per run, shared with the worker through the environment.
process.env.TOKENTOSS_UI_RUN_DIR ??= mkdtempSync(
  join(tmpdir(), 'tokentoss-shots-')
);

export default defineConfig({
  ...baseConfig,
  testDir: './screenshots',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    ...baseConfig.use,
    baseURL: `http://127.0.0.1:${SHOTS_LAB_PORT}`,
    // The window size the walk-through used: the default sidebar width at a laptop's size.
    viewport: { width: 1366, height: 800 },
    // The same clock format and language wherever the pictures are retaken.
    locale: 'en-US',
    timezoneId: 'UTC',
    video: 'off',
    trace: 'retain-on-failure',
    launchOptions: chromium
  },
  projects: [{ name: 'screenshots' }],
  webServer: [
    demoServers(SHOTS_IDP_PORT, SHOTS_SERVICE_PORT),
    jupyterServer('screenshots', 'lab', SHOTS_LAB_PORT, '/')
  ]
});
