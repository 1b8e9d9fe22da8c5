/**
 * The sign-in popup under adverse conditions, in real Chromium against the demo provider (issue 4,
 * "The browser flow"): blocked by a popup blocker, closed by the user while the provider waits, and
 * severed from its opener by `Cross-Origin-Opener-Policy: same-origin` on the provider's page.
 */
import { EMAIL } from './env';
import { popupClosed, watchRelays } from './waits';
import { expect, test } from './fixtures';
import {
  clickSignIn,
  control,
  demoSettings,
  expectPanelError,
  hasTokenFile,
  labOnlyWithCleanState,
  openSignedOutPanel,
  signInUntilConsent,
  stateOf,
  stats,
  watchTokenUploads
} from './security-helpers';

test.use({ mockSettings: demoSettings() });

labOnlyWithCleanState();

test('a blocked popup is reported clearly, and signing in again works once allowed', async ({
  page
}, testInfo) => {
  const panel = await openSignedOutPanel(page);
  const uploads = watchTokenUploads(page);
  const before = await stats(page.request);

  // What a popup blocker does: window.open returns null.
  await page.evaluate(() => {
    const w = window as any;
    w.__tokentossRealOpen = window.open;
    window.open = () => null;
  });
  await panel.locator('.jp-tokentoss-sign-in').click();
  await expectPanelError(panel, 'blocked the sign-in window', 'Allow pop-ups');
  const retry = panel.locator('.jp-tokentoss-sign-in');
  await expect(retry).toHaveText('Try again: Sign in with Google');
  expect((await stats(page.request)).authorizations).toBe(
    before.authorizations
  );
  expect(uploads).toHaveLength(0);
  expect(hasTokenFile(testInfo.project.name)).toBe(false);

  // The user allows pop-ups and clicks again.
  await page.evaluate(() => {
    const w = window as any;
    window.open = w.__tokentossRealOpen;
  });
  const popup = await clickSignIn(page, panel);
  await popupClosed(popup);
  await expect(panel.locator('.jp-tokentoss-status')).toHaveText(
    `Signed in as ${EMAIL}`
  );
  await expect(panel.locator('.jp-tokentoss-error')).toHaveCount(0);
  expect(uploads).toHaveLength(1);
  expect(hasTokenFile(testInfo.project.name)).toBe(true);
});

test('closing the popup while the provider waits shows a cancelled state within seconds', async ({
  page
}, testInfo) => {
  const { panel, status, uploads, popup } = await signInUntilConsent(page);
  await expect(status).toHaveText(/Waiting for you/);
  const before = await stats(page.request);

  const closedAt = Date.now();
  await popup.close();
  // Poll interval (0.5 s) + grace period (2 s): seconds, not the 10-minute timeout. The limit leaves
  // room for a busy machine and is still far below that timeout.
  await expect(status, 'the panel notices the closed popup').toContainText(
    'cancelled',
    { timeout: 30_000 }
  );
  expect(Date.now() - closedAt).toBeLessThan(30_000);
  // The user can start again at once.
  await expect(panel.locator('.jp-tokentoss-sign-in')).toBeEnabled();

  expect((await stats(page.request)).token_requests).toBe(
    before.token_requests
  );
  expect(uploads).toHaveLength(0);
  expect(hasTokenFile(testInfo.project.name)).toBe(false);

  // And a new sign-in (the user clicks Allow this time) works.
  const again = await clickSignIn(page, panel);
  await again.getByRole('button', { name: 'Allow' }).click();
  await popupClosed(again);
  await expect(status).toHaveText(`Signed in as ${EMAIL}`);
  expect(uploads).toHaveLength(1);
  expect(hasTokenFile(testInfo.project.name)).toBe(true);
});

test('Cross-Origin-Opener-Policy on the provider severs window.opener; the BroadcastChannel relay still signs in', async ({
  page
}, testInfo) => {
  await control(page.request, { coop: true });
  const panel = await openSignedOutPanel(page);
  const uploads = watchTokenUploads(page);
  const coopSeen: string[] = [];
  page.context().on('response', response => {
    if (response.headers()['cross-origin-opener-policy'] === 'same-origin') {
      coopSeen.push(new URL(response.url()).pathname);
    }
  });
  const before = await stats(page.request);

  const popup = await clickSignIn(page, panel);
  await expect(panel.locator('.jp-tokentoss-status')).toHaveText(
    `Signed in as ${EMAIL}`
  );
  expect(coopSeen).toContain('/authorize');
  const after = await stats(page.request);
  // The COOP page, then the real authorization.
  expect(after.authorizations).toBe(before.authorizations + 2);
  expect(after.token_requests).toBe(before.token_requests + 1);
  expect(uploads).toHaveLength(1);
  expect(hasTokenFile(testInfo.project.name)).toBe(true);
  if (!popup.isClosed()) {
    // window.close() may be refused after the browsing-context-group switch; then the page must
    // say it handed the sign-in over (BroadcastChannel), not that it could not.
    await expect(popup.locator('#tokentoss-title')).toHaveText(
      'Signed in — you can close this window'
    );
    await popup.close();
  }
});

test('under COOP a slow user still signs in after the panel lost sight of the popup', async ({
  page
}, testInfo) => {
  // Like Google: a consent page with COOP that waits for the user.
  const { status, uploads, popup, allow } = await signInUntilConsent(page, {
    coop: true
  });
  // COOP put the popup in another browsing context group: no opener, and the panel's handle
  // reads closed while the popup is still open.
  expect(await popup.evaluate(() => window.opener === null)).toBe(true);
  // Past the panel's poll and grace period: it now shows lost contact (not an error).
  await expect(status, 'the panel lost sight of the popup').toContainText(
    'cancelled',
    { timeout: 30_000 }
  );
  await expect(status).toHaveAttribute('data-state', 'signing-in');

  await allow.click();
  await expect(status).toHaveText(`Signed in as ${EMAIL}`);
  expect(uploads).toHaveLength(1);
  expect(hasTokenFile(testInfo.project.name)).toBe(true);
  if (!popup.isClosed()) {
    await popup.close();
  }
});

test('Cancel in the panel stops the sign-in for good: a late answer from the popup is not used', async ({
  page
}, testInfo) => {
  const { panel, status, uploads, popup, allow } =
    await signInUntilConsent(page);
  const state = stateOf(popup);
  const relays = await watchRelays(page, [state]);
  const before = await stats(page.request);
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(status).toHaveText('Signed out');

  // The user finishes in the window anyway.
  if (!popup.isClosed()) {
    await allow.click();
    // Not a fixed wait: until the callback page's answer has reached the JupyterLab page.
    await expect
      .poll(async () => (await relays()).channels[state], {
        message: 'the callback page relays its late answer to JupyterLab',
        timeout: 30_000
      })
      .toBeGreaterThan(0);
  }
  await expect(status).toHaveText('Signed out');
  expect((await stats(page.request)).token_requests).toBe(
    before.token_requests
  );
  expect(uploads).toHaveLength(0);
  expect(hasTokenFile(testInfo.project.name)).toBe(false);
  if (!popup.isClosed()) {
    await popup.close();
  }
});
