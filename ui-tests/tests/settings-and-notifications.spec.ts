/**
 * Issue 15's masked client secret and notifications, in the lab project: the Settings Editor draws
 * the secret as a password field (not in the page's HTML, shown and hidden by keyboard, saved as
 * typed); a sign-in and a sign-out from the sidebar show JupyterLab notifications; a background
 * refresh that the provider refuses shows an error whose "Sign in again" opens the sign-in window.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import { CLIENT_SECRET, EMAIL } from './env';
import { expect, test } from './fixtures';
import {
  clickSignIn,
  control,
  demoSettings,
  labOnlyWithCleanState,
  openSignedOutPanel
} from './security-helpers';
import { openTokentossSettings } from './settings-editor';
import { popupClosed } from './waits';

// Settings in memory (per test). autoGoto off: a test may install Playwright's clock first.
test.use({ autoGoto: false, mockSettings: demoSettings() });
labOnlyWithCleanState();

/** A notification's toast, by part of its message. */
function toast(page: IJupyterLabPageFixture, text: string): Locator {
  return page.locator('.Toastify__toast').filter({ hasText: text });
}

/** Signs in from the sidebar through the demo provider's popup; returns the panel. */
async function signIn(page: IJupyterLabPageFixture): Promise<Locator> {
  const panel = await openSignedOutPanel(page);
  await popupClosed(await clickSignIn(page, panel));
  await expect(panel.locator('.jp-tokentoss-status')).toHaveAttribute(
    'data-state',
    'signed-in'
  );
  return panel;
}

/** The user's tokentoss settings as stored (the settings REST API's `raw`, as the editor saved it). */
async function storedSettings(
  page: IJupyterLabPageFixture
): Promise<Record<string, unknown>> {
  const raw = await page.evaluate(async () => {
    const app = (window as any).jupyterapp;
    const settings =
      await app.serviceManager.settings.fetch('tokentoss:plugin');
    return settings.raw as string;
  });
  return JSON.parse(raw);
}

test('the Settings Editor masks the client secret, shows it by keyboard and saves an edit', async ({
  page
}) => {
  await page.goto();
  const form = await openTokentossSettings(page);
  const secret = form.getByLabel('OAuth client secret', { exact: true });
  await expect(secret).toHaveAttribute('type', 'password');
  await expect(secret).toHaveAttribute('autocomplete', 'off');
  await expect(secret).toHaveValue(CLIENT_SECRET);
  // In the input's value only: neither in the text nor in any attribute of the page.
  expect(await form.textContent()).not.toContain(CLIENT_SECRET);
  expect(await page.content()).not.toContain(CLIENT_SECRET);

  // Keyboard only: from the input, Tab reaches the toggle; Enter shows, Space hides.
  await secret.focus();
  await page.keyboard.press('Tab');
  const show = form.getByRole('button', { name: 'Show the client secret' });
  await expect(show).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(secret).toHaveAttribute('type', 'text');
  const hide = form.getByRole('button', { name: 'Hide the client secret' });
  await expect(hide).toBeFocused();
  await page.keyboard.press('Space');
  await expect(secret).toHaveAttribute('type', 'password');

  // An edit is saved as typed, as the stock text box saved it.
  const edited = 'edited-secret-1234';
  await secret.fill(edited);
  await secret.press('Tab');
  await expect
    .poll(async () => (await storedSettings(page)).clientSecret, {
      message: 'the edited secret reaches the stored settings'
    })
    .toBe(edited);
  expect(await page.content()).not.toContain(edited);
});

test('a sign-in and a sign-out from the sidebar show notifications', async ({
  page
}) => {
  await page.goto();
  const panel = await signIn(page);
  await expect(toast(page, `Signed in as ${EMAIL}.`)).toBeVisible();

  await panel.locator('.jp-tokentoss-sign-out').click();
  await expect(panel.locator('.jp-tokentoss-status')).toHaveAttribute(
    'data-state',
    'signed-out'
  );
  await expect(
    toast(page, 'Signed out. The provider revoked the sign-in.')
  ).toBeVisible();
});

test('a background refresh the provider refuses shows an error; "Sign in again" signs in', async ({
  page
}) => {
  // The page's clock, so the background refresh (due shortly before expiry) comes now.
  await page.clock.install();
  await page.goto();
  await signIn(page);
  await control(page.request, { refresh: 'invalid_grant' });
  await page.clock.fastForward('01:00:00');

  const error = toast(page, 'Your sign-in has expired or was revoked.');
  await expect(error).toBeVisible();
  // The action runs our sign-in command inside the click: the popup opens, the sign-in completes.
  await control(page.request, { refresh: 'ok' });
  // The first sign-in's toast may still be up (toasts pause while the popup has the focus).
  const earlier = await page
    .locator('.Toastify__toast')
    .evaluateAll(toasts => toasts.map(t => `:not([id="${t.id}"])`).join(''));
  const popupOpened = page.waitForEvent('popup');
  await error.getByRole('button', { name: 'Sign in again' }).click();
  await popupClosed(await popupOpened);
  await expect(
    page
      .locator(`.Toastify__toast${earlier}`)
      .filter({ hasText: `Signed in as ${EMAIL}.` })
  ).toBeVisible();
  await expect(error).toHaveCount(0);
});
