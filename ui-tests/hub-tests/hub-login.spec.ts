/**
 * Each user logs in to the real hub in their own browser, their own server spawns, JupyterLab loads
 * and the tokentoss sidebar panel shows (once per project: one origin, per-user subdomains).
 */
import { expect, test } from '@playwright/test';

import { USERS, hubNamed, userOrigin } from './hub-env';
import { logIn, openPanel } from './hub-helpers';

test('alice and bob each log in, get their own server, and see the tokentoss panel', async ({
  browser
}, testInfo) => {
  const hub = hubNamed(testInfo.project.name);
  for (const user of USERS) {
    const { context, page } = await logIn(browser, hub, user);
    expect(new URL(page.url()).origin).toBe(userOrigin(hub, user));
    const panel = await openPanel(page);
    await expect(
      panel.getByRole('button', { name: 'Sign in with Google' })
    ).toBeVisible();
    await context.close();
  }
});
