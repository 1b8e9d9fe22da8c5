/**
 * Galata end-to-end tests in Debian's Chromium against real servers: JupyterLab with the tokentoss
 * server extension (twice: at `/` and under a JupyterHub-style base URL `/user/alice/`) and the local
 * identity provider + protected service of demo/servers.mjs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import galataConfig from '@jupyterlab/galata/lib/playwright-config';
import { galata } from '@jupyterlab/galata';
import { defineConfig, PlaywrightTestConfig } from '@playwright/test';

import chromium from './chromium.json';
import { demoServers, jupyterServer } from './servers';
import {
  CERTIFIED_CONFIDENTIAL_CLIENT,
  CERTIFIED_ISSUER,
  CERTIFIED_LABS,
  CERTIFIED_PORT,
  CERTIFIED_PUBLIC_CLIENT,
  CERTIFIED_SERVICE,
  CERTIFIED_SERVICE_PORT,
  CLIENT_ID,
  CLIENT_SECRET,
  COMPAT_SERVERS,
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

// The certified provider's confidential client secret, shared with the server-mode lab that holds
// it; per run, inherited by the workers like the run folder (never written to a file or argument).
process.env.TOKENTOSS_CERTIFIED_CLIENT_SECRET ??=
  randomBytes(24).toString('base64url');

// Servers that only some projects use start only when one of those may run (no --project, or
// one of theirs is named).
const args = process.argv.join(' ');
function wanted(projects: { name: string }[]): boolean {
  return (
    !args.includes('--project') ||
    projects.some(project => args.includes(project.name))
  );
}

// The second extension that uses ITokenToss (public-token.spec.ts), built by scripts/lib.sh's
// ensure_consumer_extension; the `lab` project's JupyterLab loads it, the others do not.
const CONSUMER_LABEXTENSIONS = join(
  __dirname,
  'consumer-extension',
  'build',
  'labextensions'
);
if (!existsSync(CONSUMER_LABEXTENSIONS)) {
  console.warn(
    `tokentoss UI tests: no ${CONSUMER_LABEXTENSIONS}: public-token.spec.ts will fail. Build it with` +
      ` bash -c 'source scripts/lib.sh; ensure_consumer_extension'`
  );
}

const labServers = (wanted(LABS) ? LABS : []).map(lab =>
  jupyterServer(lab.name, 'lab', lab.port, lab.baseUrl, {
    ...(lab.serverClient
      ? {
          TOKENTOSS_UI_SERVER_CLIENT: '1',
          TOKENTOSS_UI_CLIENT_ID: CLIENT_ID,
          TOKENTOSS_UI_CLIENT_SECRET: CLIENT_SECRET,
          TOKENTOSS_UI_ISSUER: ISSUER
        }
      : {}),
    ...(lab.name === 'lab'
      ? { TOKENTOSS_UI_EXTRA_LABEXTENSIONS: CONSUMER_LABEXTENSIONS }
      : {})
  })
);

// The 0.1 quick start runs against its own servers (JupyterLab and Notebook 7), see env.ts.
const compatServers = (wanted(COMPAT_SERVERS) ? COMPAT_SERVERS : []).map(
  server =>
    jupyterServer(server.name, server.app, server.port, '/', {
      TOKENTOSS_UI_ISSUER: ISSUER
    })
);

// The certified provider (issue 13): its development login and consent pages, the public client
// for the browser-mode lab's origin, both labs' callbacks; the server-mode lab holds the
// confidential client.
const certifiedWanted = wanted(CERTIFIED_LABS);
const certifiedServers = (certifiedWanted ? CERTIFIED_LABS : []).map(lab =>
  jupyterServer(
    lab.name,
    'lab',
    lab.port,
    '/',
    lab.serverClient
      ? {
          TOKENTOSS_UI_SERVER_CLIENT: '1',
          TOKENTOSS_UI_CLIENT_ID: CERTIFIED_CONFIDENTIAL_CLIENT,
          TOKENTOSS_UI_CLIENT_SECRET:
            process.env.TOKENTOSS_CERTIFIED_CLIENT_SECRET!,
          TOKENTOSS_UI_ISSUER: CERTIFIED_ISSUER
        }
      : {}
  )
);
const certifiedProvider = certifiedWanted
  ? [
      {
        command: [
          `node ../demo/certified-provider.mjs --port ${CERTIFIED_PORT} --service-port ${CERTIFIED_SERVICE_PORT}`,
          ...CERTIFIED_LABS.map(
            lab =>
              `--redirect-uri http://127.0.0.1:${lab.port}/tokentoss/callback`
          ),
          ...CERTIFIED_LABS.filter(lab => !lab.serverClient).map(
            lab => `--origin http://127.0.0.1:${lab.port}`
          ),
          `2> ${join(runDir(), 'certified-provider.log')}`
        ].join(' '),
        url: `${CERTIFIED_SERVICE}/__stats`,
        timeout: 30_000,
        reuseExistingServer: false,
        stdout: 'ignore' as const,
        stderr: 'pipe' as const
      }
    ]
  : [];

// The Google-like provider of demo/servers.mjs, for every project but the certified ones.
const demo = wanted([...LABS, ...COMPAT_SERVERS])
  ? [demoServers(IDP_PORT, SERVICE_PORT)]
  : [];

const COMPAT_SPEC = /compat-01-quickstart\.spec\.ts/;
const SERVER_CLIENT_SPEC = /server-client\.spec\.ts/;
const CERTIFIED_SPEC = /certified-provider\.spec\.ts/;
const PUBLIC_TOKEN_SPEC = /public-token\.spec\.ts/;

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
  projects: [
    ...LABS.map(lab => ({
      name: lab.name,
      // The server-held client has its own spec; the others configure the client in the settings.
      ...(lab.serverClient
        ? { testMatch: SERVER_CLIENT_SPEC }
        : {
            testIgnore: [
              SERVER_CLIENT_SPEC,
              COMPAT_SPEC,
              CERTIFIED_SPEC,
              // Only the `lab` project's JupyterLab loads the consumer extension.
              ...(lab.name === 'lab' ? [] : [PUBLIC_TOKEN_SPEC])
            ]
          }),
      use: {
        baseURL: `http://127.0.0.1:${lab.port}${lab.baseUrl.replace(/\/$/, '')}`
      }
    })),
    ...COMPAT_SERVERS.map(server => ({
      name: server.name,
      testMatch: COMPAT_SPEC,
      use: { baseURL: `http://127.0.0.1:${server.port}` }
    })),
    ...CERTIFIED_LABS.map(lab => ({
      name: lab.name,
      testMatch: CERTIFIED_SPEC,
      use: {
        baseURL: `http://127.0.0.1:${lab.port}`,
        // Browser mode: the public client in the user's settings (no secret); server mode: none.
        mockSettings: lab.serverClient
          ? galata.DEFAULT_SETTINGS
          : {
              ...galata.DEFAULT_SETTINGS,
              'tokentoss:plugin': {
                clientId: CERTIFIED_PUBLIC_CLIENT,
                issuer: CERTIFIED_ISSUER
              }
            }
      }
    }))
  ],
  webServer: [
    ...demo,
    ...certifiedProvider,
    ...labServers,
    ...compatServers,
    ...certifiedServers
  ]
});
