/**
 * The demo smoke of `scripts/demo.sh --check`: the script starts the demo (servers, JupyterLab) and
 * passes its URL and printed cell in the environment; this config starts nothing (no webServer) and
 * drives Debian's Chromium through the README's steps (demo/demo.spec.ts).
 */
import { defineConfig } from '@playwright/test';

import chromium from './chromium.json';

export default defineConfig({
  testDir: './demo',
  // Generous: a busy machine may take a while to start the kernel; each wait still ends on a condition.
  timeout: 240_000,
  expect: { timeout: 90_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    video: 'off',
    trace: 'off',
    viewport: { width: 1280, height: 800 },
    launchOptions: chromium
  }
});
