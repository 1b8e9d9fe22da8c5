/**
 * Issue 13: the golden path against a certified OpenID provider (npm oidc-provider, configured as
 * for production by demo/certified-provider.mjs), in both exchange modes: `certified-browser` (the
 * public client in the user's settings, the browser exchanges the code under CORS) and
 * `certified-server` (the confidential client in TokenTossConfig, the Jupyter server exchanges it).
 * Sign-in from the sidebar through the provider's own login and consent pages, a kernel cell
 * calling the protected service with the ID token, a refresh whose rotated refresh token is
 * written back to the token file, and sign-out revoking the grant.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';

import { galata, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { APIRequestContext, Locator, Page } from '@playwright/test';

import {
  CERTIFIED_CONFIDENTIAL_CLIENT,
  CERTIFIED_ISSUER,
  CERTIFIED_LOGIN,
  CERTIFIED_NAME,
  CERTIFIED_SERVICE,
  tokenFile
} from './env';
import { expect, test } from './fixtures';
import {
  clickSignIn,
  expectPanelError,
  openSignedOutPanel,
  PANEL_ID
} from './security-helpers';
import { popupClosed } from './waits';

const WHOAMI_CELL = [
  'import tokentoss',
  `print(tokentoss.IAPClient(base_url="${CERTIFIED_SERVICE}").get_json("/whoami")["sub"])`,
  'print(tokentoss.status())'
].join('\n');

/** The certified provider's counters (GET /__stats of demo/certified-provider.mjs). */
interface ICertifiedStats {
  authorizations: number;
  code_grants: number;
  refresh_grants: number;
  refresh_rejections: number;
  grants_revoked: number;
  userinfo_requests: number;
  service_requests: number;
  service_rejections: number;
}

async function stats(request: APIRequestContext): Promise<ICertifiedStats> {
  const response = await request.get(`${CERTIFIED_SERVICE}/__stats`);
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as ICertifiedStats;
}

/** The project's token file (its token values compared, never printed). */
function storedTokens(projectName: string): {
  refresh_token?: string;
  user_name?: string;
} {
  return JSON.parse(readFileSync(tokenFile(projectName), 'utf-8'));
}

/** The refresh token in the project's token file (compared, never printed). */
function storedRefreshToken(projectName: string): string | undefined {
  return storedTokens(projectName).refresh_token;
}

/** Signs in at the provider's development login page, then grants consent on the next page. */
async function loginAndConsent(popup: Page): Promise<void> {
  await popup.locator('input[name="login"]').fill(CERTIFIED_LOGIN);
  await popup.locator('input[name="password"]').fill('any password');
  await popup.getByRole('button', { name: 'Sign-in' }).click();
  // prompt=consent: the provider asks every time, offline_access included.
  await expect(popup.getByText('offline access', { exact: false })).toBeVisible(
    { timeout: 60_000 }
  );
  await popup.getByRole('button', { name: 'Continue' }).click();
}

/** Clicks "Sign in" in the panel and walks the popup through the provider's pages. */
async function signInThroughProvider(
  page: IJupyterLabPageFixture,
  panel: Locator
): Promise<void> {
  const popup = await clickSignIn(page, panel);
  await loginAndConsent(popup);
  await popupClosed(popup, 'the callback page relays the result and closes');
}

test.beforeEach(async ({ request }, testInfo) => {
  const reset = await request.post(`${CERTIFIED_SERVICE}/__reset`);
  expect(reset.ok()).toBeTruthy();
  rmSync(tokenFile(testInfo.project.name), { force: true });
});

test('certified provider: sign in through its login and consent pages, kernel call, rotated refresh written back, sign-out revokes the grant', async ({
  page
}, testInfo) => {
  const project = testInfo.project.name;
  const panel = await openSignedOutPanel(page);
  const status = panel.locator('.jp-tokentoss-status');
  // Which side exchanges the code: the server when it holds the client, else the browser.
  await expect(panel.locator('.jp-tokentoss-managed')).toHaveCount(
    project === 'certified-server' ? 1 : 0
  );

  await signInThroughProvider(page, panel);
  // The ID token carries no email or name (the provider's default); both came from userinfo,
  // sub matched: the browser asked it in browser mode, the server in both (it trusts no body).
  await expect(status).toHaveText(`Signed in as ${CERTIFIED_LOGIN}`, {
    timeout: 60_000
  });
  await expect(panel.locator('.jp-tokentoss-user-name')).toHaveText(
    CERTIFIED_NAME
  );
  expect(storedTokens(project).user_name).toBe(CERTIFIED_NAME);
  const afterSignIn = await stats(page.request);
  expect(afterSignIn.authorizations).toBe(1);
  expect(afterSignIn.code_grants).toBe(1);
  expect(afterSignIn.userinfo_requests).toBeGreaterThanOrEqual(1);
  const firstRefreshToken = storedRefreshToken(project);
  // offline_access with consent: the provider issued a refresh token, so no expiry warning.
  expect(firstRefreshToken).toBeTruthy();
  await expect(panel.locator('.jp-tokentoss-warning')).toHaveCount(0);

  await page.notebook.createNew(`certified-${project}.ipynb`);
  await page.notebook.setCell(0, 'code', WHOAMI_CELL);
  await page.notebook.runCell(0);
  const output = (await page.notebook.getCellTextOutput(0))?.join('');
  expect(output).toContain(CERTIFIED_LOGIN);
  // The kernel side shows the name too (tokentoss.status(), as `tokentoss status` prints it).
  expect(output).toContain(
    `Signed in as ${CERTIFIED_NAME} <${CERTIFIED_LOGIN}>`
  );
  expect((await stats(page.request)).service_rejections).toBe(0);

  // POST refresh ("Refresh now"): the provider rotates the refresh token; the new one is on disk.
  await page.sidebar.openTab(PANEL_ID);
  await panel.locator('.jp-tokentoss-refresh').click();
  await expect
    .poll(() => storedRefreshToken(project), {
      message: 'the rotated refresh token is written to the token file',
      timeout: 60_000
    })
    .not.toBe(firstRefreshToken);
  expect(storedRefreshToken(project)).toBeTruthy();
  // The refreshed file keeps the name (the new ID token carries none; userinfo not asked again).
  expect(storedTokens(project).user_name).toBe(CERTIFIED_NAME);
  await expect(panel.locator('.jp-tokentoss-user-name')).toHaveText(
    CERTIFIED_NAME
  );
  const afterRefresh = await stats(page.request);
  expect(afterRefresh.refresh_grants).toBe(1);
  expect(afterRefresh.refresh_rejections).toBe(0);

  await panel.locator('.jp-tokentoss-sign-out').click();
  await expect(status).toHaveText('Signed out');
  await expect(panel.locator('.jp-tokentoss-revocation')).toHaveText(
    'The provider revoked the sign-in: every token it issued stopped working.'
  );
  expect(existsSync(tokenFile(project))).toBe(false);
  // The rotated refresh token was the live one: revoking it ended the grant, no replay on the way.
  const afterSignOut = await stats(page.request);
  expect(afterSignOut.grants_revoked).toBe(1);
  expect(afterSignOut.refresh_rejections).toBe(0);
});

test.describe('the confidential client in the browser', () => {
  // Browser mode with the client the provider keeps CORS closed for: the code cannot be exchanged.
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'tokentoss:plugin': {
        clientId: CERTIFIED_CONFIDENTIAL_CLIENT,
        clientSecret: process.env.TOKENTOSS_CERTIFIED_CLIENT_SECRET,
        issuer: CERTIFIED_ISSUER
      }
    }
  });

  test('says the token endpoint is unreachable from the browser and to configure the client on the server', async ({
    page
  }, testInfo) => {
    test.skip(
      testInfo.project.name !== 'certified-browser',
      'browser mode only: the server-mode lab holds its client'
    );
    const panel = await openSignedOutPanel(page);
    await signInThroughProvider(page, panel);
    await expectPanelError(
      panel,
      'could not reach the identity provider’s token endpoint',
      'The client ID and secret are not the problem.',
      'configure the OAuth client on the server'
    );
    expect(existsSync(tokenFile(testInfo.project.name))).toBe(false);
  });
});
