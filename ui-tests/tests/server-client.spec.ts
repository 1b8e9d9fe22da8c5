/**
 * Issue 9: the OAuth client lives in the server's configuration (TokenTossConfig, set from the
 * environment by jupyter_server_test_config.py). Sign-in from the sidebar, the server redeems the
 * code, a kernel cell prints the email, sign-out; no request or response that any page of the
 * browser saw (the popup included) carries the client secret. Runs in the `server-client` project.
 */
import { Request, Response } from '@playwright/test';

import { CLIENT_SECRET, EMAIL, SERVICE } from './env';
import { expect, test } from './fixtures';
import { hasTokenFile, PANEL_ID, resetAll } from './security-helpers';
import { openTokentossSettings } from './settings-editor';
import { popupClosed } from './waits';

const WHOAMI_CELL = [
  'import tokentoss',
  `print(tokentoss.IAPClient(base_url="${SERVICE}").get_json("/whoami")["email"])`
].join('\n');

/** Every request and response of the browser context, as text to search for the secret. */
function recordTraffic(page: { context(): any }): () => Promise<string[]> {
  const pending: Promise<string>[] = [];
  page.context().on('request', (request: Request) => {
    pending.push(
      (async () =>
        [
          request.method(),
          request.url(),
          // A closed popup's requests can no longer be asked for their raw headers.
          JSON.stringify(
            await request.allHeaders().catch(() => request.headers())
          ),
          request.postData() ?? ''
        ].join('\n'))()
    );
  });
  page.context().on('response', (response: Response) => {
    pending.push(
      (async () => {
        // Redirects and aborted loads have no body to read.
        const body = await response.text().catch(() => '');
        return [
          response.url(),
          JSON.stringify(
            await response.allHeaders().catch(() => response.headers())
          ),
          body
        ].join('\n');
      })()
    );
  });
  return () => Promise.all(pending);
}

test.beforeEach(async ({ request }, testInfo) => {
  await resetAll(request, testInfo.project.name);
});

test('the server holds the client: sign in, kernel prints the email, sign out, the secret never reaches the browser', async ({
  page
}, testInfo) => {
  const traffic = recordTraffic(page);
  await page.reload();

  await page.sidebar.openTab(PANEL_ID);
  const panel = page.locator(`#${PANEL_ID}`);
  const status = panel.locator('.jp-tokentoss-status');
  await expect(status).toHaveText('Signed out');
  await expect(panel.locator('.jp-tokentoss-managed')).toHaveText(
    'OAuth client managed by the server (jupyter_server_config).'
  );

  const popupOpened = page.waitForEvent('popup');
  await panel.getByRole('button', { name: 'Sign in with Google' }).click();
  const popup = await popupOpened;
  // Polled: the provider answers at once, so the popup may close before a listener would start.
  await popupClosed(popup);
  await expect(status).toHaveText(`Signed in as ${EMAIL}`);
  expect(hasTokenFile(testInfo.project.name)).toBe(true);

  await page.notebook.createNew('server-client.ipynb');
  await page.notebook.setCell(0, 'code', WHOAMI_CELL);
  await page.notebook.runCell(0);
  expect((await page.notebook.getCellTextOutput(0))?.join('')).toContain(EMAIL);

  await page.sidebar.openTab(PANEL_ID);
  await panel.getByRole('button', { name: 'Sign out' }).click();
  await expect(status).toHaveText('Signed out');
  expect(hasTokenFile(testInfo.project.name)).toBe(false);

  const seen = await traffic();
  expect(seen.length).toBeGreaterThan(10);
  expect(seen.filter(text => text.includes(CLIENT_SECRET))).toEqual([]);
});

test('the Settings Editor shows the client secret read-only, held by the server (issue 15)', async ({
  page
}) => {
  const form = await openTokentossSettings(page);
  const label = page.getByLabel('OAuth client secret', { exact: true });
  const secret = form.locator(label);
  // The masked field (src/secretInput.tsx) follows the schema's readOnly (src/managed.ts).
  await expect(secret).toHaveAttribute('type', 'password');
  await expect(secret).not.toBeEditable();
  await expect(secret).toHaveValue('');
  await expect(secret).toHaveAttribute(
    'placeholder',
    'Held by the Jupyter server'
  );
  // The schema's description, prefixed by the transform, under the field.
  await expect(
    form.locator('.jp-FormGroup-content').filter({ has: label })
  ).toContainText('Managed by the server');
});
