/**
 * Issue 9 on a real hub, once per project (one origin, per-user subdomains): alice and bob, each in
 * their own browser, click "Sign in with Google" in their own sidebar; the popup goes through the local
 * provider (each picks their own account) and the hub's /hub/user-redirect/ to their own server, which
 * holds the OAuth client and redeems the code. A cell in each user's kernel prints that user's email
 * from the protected service; each token file is in that user's home; Alice's sign-out leaves Bob signed
 * in; and nothing any browser saw (requests, responses, popups, WebSocket frames) carries the secret.
 */
import { existsSync, statSync } from 'node:fs';

import { Page, expect, test } from '@playwright/test';

import {
  CLIENT_ID,
  EMAILS,
  SERVICE,
  USERS,
  User,
  clientSecret,
  hubNamed,
  tokenFile
} from './hub-env';
import {
  IUserSession,
  TrafficRecorder,
  logIn,
  openPanel,
  runCell
} from './hub-helpers';

const WHOAMI_CELL = [
  'import tokentoss',
  `print(tokentoss.IAPClient(base_url="${SERVICE}").get_json("/whoami")["email"])`
].join('\n');

/** Sign in from the sidebar; in the provider's popup, choose the user's own account. */
async function signIn(page: Page, user: User): Promise<void> {
  const panel = await openPanel(page);
  const popupOpened = page.waitForEvent('popup');
  await panel.getByRole('button', { name: 'Sign in with Google' }).click();
  const popup = await popupOpened;
  // The callback page (on the user's server, after /hub/user-redirect/) closes itself on success,
  // possibly before the click below returns: listen first.
  const closed = popup.waitForEvent('close', { timeout: 120_000 });
  await popup.getByRole('button', { name: EMAILS[user] }).click();
  await closed;
  await expect(panel.locator('.jp-tokentoss-status')).toHaveText(
    `Signed in as ${EMAILS[user]}`
  );
}

test('each user signs in with the server-held client, calls the service as themselves, signs out alone', async ({
  browser
}, testInfo) => {
  const hub = hubNamed(testInfo.project.name);
  const sessions: IUserSession[] = [];
  const recorders: TrafficRecorder[] = [];
  for (const user of USERS) {
    const session = await logIn(browser, hub, user);
    recorders.push(new TrafficRecorder(session.context));
    sessions.push(session);
  }
  const [alice, bob] = sessions;

  for (const { user, page } of sessions) {
    expect(existsSync(tokenFile(hub, user))).toBe(false);
    await signIn(page, user);
    const file = tokenFile(hub, user);
    expect(existsSync(file), `${user}'s token file in ${user}'s home`).toBe(
      true
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }
  for (const { user, page } of sessions) {
    expect(await runCell(page, WHOAMI_CELL)).toContain(EMAILS[user]);
    await expect(page.locator('.jp-OutputArea-output').first()).toContainText(
      EMAILS[user]
    );
  }

  const alicePanel = await openPanel(alice.page);
  await alicePanel.getByRole('button', { name: 'Sign out' }).click();
  await expect(alicePanel.locator('.jp-tokentoss-status')).toHaveText(
    'Signed out'
  );
  expect(existsSync(tokenFile(hub, 'alice'))).toBe(false);
  expect(existsSync(tokenFile(hub, 'bob'))).toBe(true);
  expect(await runCell(bob.page, WHOAMI_CELL)).toContain(EMAILS.bob);
  expect(await runCell(alice.page, WHOAMI_CELL)).toContain(
    'NoCredentialsError'
  );

  const secret = clientSecret();
  for (const [i, recorder] of recorders.entries()) {
    const texts = await recorder.texts();
    // The recording covers the popup too: the authorization request to the provider is in it.
    expect(
      texts.some(
        text =>
          text.includes('/authorize?') &&
          text.includes(`client_id=${CLIENT_ID}`)
      ),
      `${USERS[i]}'s popup traffic was recorded`
    ).toBe(true);
    expect(
      texts
        .filter(text => text.includes(secret))
        .map(text => text.split('\n')[0]),
      `what ${USERS[i]}'s browser saw that carries the client secret`
    ).toEqual([]);
  }
  for (const { context } of sessions) {
    await context.close();
  }
});
