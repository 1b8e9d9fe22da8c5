/**
 * Nothing token-like stays in the browser or on disk outside the token file (issue 4): after a full
 * sign-in, notebook run and sign-out, localStorage, sessionStorage, cookies, the JupyterLab settings
 * and workspace files, the notebook with its outputs and the rest of the server's folders hold no
 * token value that the token file held, and no JWT-shaped string.
 *
 * Galata's in-memory mocks of settings, state and config are off here, so that whatever JupyterLab
 * would write to disk really is written.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import {
  EMAIL,
  CLIENT_ID,
  CLIENT_SECRET,
  ISSUER,
  SERVICE,
  runDir
} from './env';
import { expect, test } from './fixtures';
import { tokenFile } from './env';
import {
  clickSignIn,
  hasTokenFile,
  LAB_ONLY,
  openSignedOutPanel,
  resetAll
} from './security-helpers';
import { popupClosed } from './waits';

const PLUGIN_SETTINGS = 'lab/api/settings/tokentoss:plugin';
/** A JWT (header.payload.signature, base64url), as an ID token or a JWT access token looks. */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;

test.use({
  autoGoto: false,
  mockSettings: false,
  mockState: false,
  mockConfig: false
});

/** Which of the secrets (by name, never by value) a text contains, and whether it has a JWT. */
function leaks(text: string, secrets: Map<string, string>): string[] {
  const found = [...secrets]
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
  if (JWT.test(text)) {
    found.push('a JWT-shaped string');
  }
  return found;
}

/** Every regular file under a folder, except the ones `skip` says. */
function filesUnder(dir: string, skip: (path: string) => boolean): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(path)) {
      continue;
    }
    if (entry.isDirectory()) {
      out.push(...filesUnder(path, skip));
    } else if (entry.isFile() && statSync(path).size < 20_000_000) {
      out.push(path);
    }
  }
  return out;
}

test.beforeEach(async ({ request }, testInfo) => {
  test.skip(testInfo.project.name !== 'lab', LAB_ONLY);
  await resetAll(request, testInfo.project.name);
});

test('after sign-in, a notebook run and sign-out nothing token-like is left in browser storage, settings or the notebook', async ({
  page,
  request,
  baseURL,
  tmpPath
}, testInfo) => {
  const project = testInfo.project.name;
  // Settings written through JupyterLab's settings REST API, so they land in the settings folder.
  const previous = await request.get(`${baseURL}/${PLUGIN_SETTINGS}`);
  expect(previous.ok()).toBeTruthy();
  const previousRaw = ((await previous.json()) as { raw: string }).raw;
  const saved = await request.put(`${baseURL}/${PLUGIN_SETTINGS}`, {
    data: {
      raw: JSON.stringify({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        issuer: ISSUER
      })
    }
  });
  expect(saved.status(), await saved.text()).toBe(204);

  try {
    // `?reset`: JupyterLab's default layout (with the Launcher Galata waits for), whatever state
    // the browser or the server kept.
    await page.goto(`tree/${tmpPath}?reset`);
    const panel = await openSignedOutPanel(page);
    const status = panel.locator('.jp-tokentoss-status');
    const popup = await clickSignIn(page, panel);
    await popupClosed(popup);
    await expect(status).toHaveText(`Signed in as ${EMAIL}`);

    // Every token value the server stored in this sign-in.
    const stored = JSON.parse(readFileSync(tokenFile(project), 'utf8'));
    const secrets = new Map<string, string>();
    for (const name of ['access_token', 'id_token', 'refresh_token']) {
      if (typeof stored[name] === 'string' && stored[name]) {
        secrets.set(name, stored[name]);
        // A JWT's signature alone is secret enough to look for too.
        const signature = stored[name].split('.')[2];
        if (signature && signature.length > 20) {
          secrets.set(`${name} signature`, signature);
        }
      }
    }
    expect(secrets.has('access_token')).toBe(true);
    expect(secrets.has('id_token')).toBe(true);
    expect(secrets.has('refresh_token')).toBe(true);

    // Use it from a kernel; the outputs are saved in the notebook.
    const notebook = `storage-${project}.ipynb`;
    await page.notebook.createNew(notebook);
    await page.notebook.setCell(
      0,
      'code',
      [
        'import tokentoss',
        `print(tokentoss.IAPClient(base_url="${SERVICE}").get_json("/whoami"))`,
        'tokentoss.status()'
      ].join('\n')
    );
    await page.notebook.runCell(0);
    expect((await page.notebook.getCellTextOutput(0))?.join('')).toContain(
      EMAIL
    );
    await page.notebook.save();

    const browserState = async () =>
      page.evaluate(() => {
        const dump = (storage: Storage) =>
          Object.fromEntries(
            Array.from({ length: storage.length }, (_, i) => {
              const key = storage.key(i)!;
              return [key, storage.getItem(key)];
            })
          );
        return JSON.stringify({
          localStorage: dump(window.localStorage),
          sessionStorage: dump(window.sessionStorage),
          cookie: document.cookie
        });
      });
    const cookies = async () => JSON.stringify(await page.context().cookies());

    // While signed in: the browser keeps no token (the server owns them), not even in the DOM.
    expect(leaks(await browserState(), secrets), 'browser storage').toEqual([]);
    expect(leaks(await cookies(), secrets), 'cookies').toEqual([]);
    expect(leaks(await page.content(), secrets), 'JupyterLab page DOM').toEqual(
      []
    );

    await panel.locator('.jp-tokentoss-sign-out').click();
    await expect(status).toHaveText('Signed out');
    expect(hasTokenFile(project)).toBe(false);

    // After sign-out: browser storage (dumped again), cookies.
    const dumped = await browserState();
    expect(dumped).toContain('localStorage'); // the dump itself worked
    expect(leaks(dumped, secrets), 'browser storage').toEqual([]);
    expect(leaks(await cookies(), secrets), 'cookies').toEqual([]);

    // The notebook on disk, with its outputs.
    const root = join(runDir(), project, 'root');
    const notebookPath = join(root, tmpPath, notebook);
    const notebookText = readFileSync(notebookPath, 'utf8');
    expect(notebookText).toContain(EMAIL); // the outputs were saved
    expect(leaks(notebookText, secrets), notebookPath).toEqual([]);

    // The settings folder: our settings were written there (so the scan is not vacuous).
    const settingsDir = join(runDir(), project, 'settings');
    const settingsFiles = filesUnder(settingsDir, () => false);
    expect(
      settingsFiles.some(f => readFileSync(f, 'utf8').includes(CLIENT_ID))
    ).toBe(true);

    // Workspaces (JupyterLab's saved state; Galata keeps them in a temporary folder).
    const workspaces = await request.get(`${baseURL}/lab/api/workspaces`);
    expect(workspaces.ok()).toBeTruthy();
    expect(
      leaks(await workspaces.text(), secrets),
      'JupyterLab workspaces'
    ).toEqual([]);

    // Everything the server wrote in its folders: settings, config, notebooks and checkpoints,
    // the server log, and the tokens folder (the client file stays; no temp or backup copy may).
    const found: string[] = [];
    for (const file of filesUnder(join(runDir(), project), () => false)) {
      for (const what of leaks(readFileSync(file, 'latin1'), secrets)) {
        found.push(`${what} in ${relative(runDir(), file)}`);
      }
    }
    expect(found).toEqual([]);
  } finally {
    await request.put(`${baseURL}/${PLUGIN_SETTINGS}`, {
      data: { raw: previousRaw }
    });
    await resetAll(request, project);
  }
});
