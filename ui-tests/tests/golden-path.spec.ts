/**
 * The golden path of issue 2, for real: settings entered in the Settings Editor, sign-in from the
 * sidebar through the real popup against the local identity provider, the token file written 0600,
 * a notebook cell calling the protected service with the ID token in a real kernel, sign-out from
 * the command palette, and NoCredentialsError afterwards. Runs once per project (`/` and `/user/alice/`).
 */
import { existsSync, statSync } from 'node:fs';

import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  CLIENT_ID,
  CLIENT_SECRET,
  EMAIL,
  ISSUER,
  SERVICE,
  tokenFile
} from './env';
import { expect, test } from './fixtures';
import { openTokentossSettings } from './settings-editor';
import { popupClosed } from './waits';

const PANEL_ID = 'tokentoss-panel';
const WHOAMI_CELL = [
  'import tokentoss',
  `print(tokentoss.IAPClient(base_url="${SERVICE}").get_json("/whoami")["email"])`
].join('\n');

interface IStats {
  token_requests: number;
  refresh_requests: number;
  revocations: number;
  authorizations: number;
}

async function stats(page: IJupyterLabPageFixture): Promise<IStats> {
  const response = await page.request.get(`${SERVICE}/__stats`);
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as IStats;
}

/** Opens the Settings Editor on tokentoss and types the client ID, secret and issuer in its form. */
async function configureInSettingsEditor(
  page: IJupyterLabPageFixture
): Promise<void> {
  const form = await openTokentossSettings(page);
  const fields: [string, string][] = [
    ['OAuth client ID', CLIENT_ID],
    ['OAuth client secret', CLIENT_SECRET],
    ['Identity provider (issuer URL)', ISSUER]
  ];
  for (const [label, value] of fields) {
    // Each field is a heading (its title) followed by its input, in one container (the secret's
    // is a password input, src/secretInput.tsx: no textbox role).
    const input = form
      .getByRole('heading', { name: label, exact: true })
      .locator('xpath=..')
      .locator('input');
    await input.fill(value);
    await input.press('Tab');
  }
  // The form saves on change; wait until the last value is in the stored user settings.
  await expect
    .poll(async () =>
      page.evaluate(async () => {
        const app = (window as any).jupyterapp;
        const settings =
          await app.serviceManager.settings.fetch('tokentoss:plugin');
        return settings.raw as string;
      })
    )
    .toContain(ISSUER);
}

async function openPanel(page: IJupyterLabPageFixture): Promise<Locator> {
  await page.sidebar.openTab(PANEL_ID);
  const panel = page.locator(`#${PANEL_ID}`);
  await expect(panel).toBeVisible();
  return panel;
}

async function runPaletteCommand(
  page: IJupyterLabPageFixture,
  command: string,
  query: string
) {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#command-palette');
  await expect(palette).toBeVisible();
  await palette.locator('.lm-CommandPalette-input').fill(query);
  await palette
    .locator(`.lm-CommandPalette-item[data-command="${command}"]`)
    .click();
}

test('sign in from the sidebar, call the protected service from a kernel, sign out', async ({
  page
}, testInfo) => {
  const file = tokenFile(testInfo.project.name);
  expect(existsSync(file)).toBe(false);
  const before = await stats(page);

  await configureInSettingsEditor(page);
  const panel = await openPanel(page);
  const status = panel.locator('.jp-tokentoss-status');
  await expect(status).toHaveText('Signed out');
  // The drawing's styles came with its lazy chunk (style/panel.raw.css), not at start-up.
  await expect(panel.locator('.jp-tokentoss-actions')).toHaveCSS(
    'display',
    'flex'
  );

  const popupOpened = page.waitForEvent('popup');
  await panel.getByRole('button', { name: 'Sign in with Google' }).click();
  const popup = await popupOpened;
  // The provider redirects at once to the callback page, which relays the result and closes itself.
  await popupClosed(popup);

  await expect(status).toHaveText(`Signed in as ${EMAIL}`);
  expect(existsSync(file)).toBe(true);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const afterSignIn = await stats(page);
  expect(afterSignIn.authorizations).toBe(before.authorizations + 1);
  expect(afterSignIn.token_requests).toBe(before.token_requests + 1);

  await page.notebook.createNew(`golden-${testInfo.project.name}.ipynb`);
  await page.notebook.setCell(0, 'code', WHOAMI_CELL);
  await page.notebook.runCell(0);
  expect((await page.notebook.getCellTextOutput(0))?.join('')).toContain(EMAIL);

  await runPaletteCommand(page, 'tokentoss:sign-out', 'Sign out');
  await openPanel(page);
  await expect(status).toHaveText('Signed out');
  // The demo provider issued a refresh token, so revoking it ended the grant (DELETE tokens' revocation).
  await expect(panel.locator('.jp-tokentoss-revocation')).toHaveText(
    'The provider revoked the sign-in: every token it issued stopped working.'
  );
  expect(existsSync(file)).toBe(false);
  expect((await stats(page)).revocations).toBe(afterSignIn.revocations + 1);

  await page.notebook.activate(`golden-${testInfo.project.name}.ipynb`);
  // Running cell 0 may already have added an empty cell 1 below it.
  if ((await page.notebook.getCellCount()) > 1) {
    await page.notebook.setCell(1, 'code', WHOAMI_CELL);
  } else {
    await page.notebook.addCell('code', WHOAMI_CELL);
  }
  await page.notebook.runCell(1);
  const output = await page.notebook.getCellOutputLocator(1);
  await expect(output!).toContainText('NoCredentialsError');
});
