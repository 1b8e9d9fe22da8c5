/**
 * The attacker model of DESIGN on a one-origin hub: a page another user serves on the hub's origin
 * (here the hub service demo/hub-attacker.mjs at /services/attacker/), opened in Alice's browser,
 * starts its own authorization request for the hub's OAuth client (its own state and PKCE, the hub-level
 * redirect URI). The provider answers as Alice, the hub routes the answer to Alice's server: the test
 * proves that the popup really reached Alice's callback, and that no document on the hub's origin
 * loaded with the code in its URL and nothing reached the attacker's page (BroadcastChannel on its
 * state, window messages, the popup's URLs). Without the defence the code arrives on every one of them.
 */
import { Page, expect, test } from '@playwright/test';

import { hubNamed } from './hub-env';
import { logIn } from './hub-helpers';

interface ICaptured {
  state: string | null;
  broadcasts: string[];
  messages: string[];
  popupUrls: string[];
  done: boolean;
}

const captured = (page: Page): Promise<ICaptured> =>
  page.evaluate(() => (window as any).captured as ICaptured);

test('a page on the hub origin gets no code from a sign-in it starts in Alice’s browser', async ({
  browser
}, testInfo) => {
  const hub = hubNamed(testInfo.project.name);
  test.skip(
    hub.subdomains,
    'per-user subdomains: another user’s page is not on Alice’s origin'
  );

  const { context } = await logIn(browser, hub, 'alice');
  const attacker = await context.newPage();
  await attacker.goto(`${hub.url}/services/attacker/`);
  await expect(attacker.getByRole('heading')).toHaveText(
    'Totally harmless page'
  );

  const popupOpened = attacker.waitForEvent('popup');
  await attacker.getByRole('button', { name: 'Open' }).click();
  const popup = await popupOpened;
  // Every document the popup loads, as Playwright sees it (whatever the page could or could not read).
  const documents: string[] = [];
  popup.on('framenavigated', frame => {
    if (frame === popup.mainFrame()) {
      documents.push(frame.url());
    }
  });
  // Playwright hands the popup over once its first document loads: the provider answers at once,
  // so that can already be the end of the redirect chain (Alice's callback page), committed before
  // the listener above existed. On a busy machine it was: record the document it shows now too.
  documents.push(popup.url());

  const aliceCallback = `${hub.url}/user/alice/tokentoss/callback`;
  // The authorization went through the provider (as Alice, by login_hint) and the hub's
  // /hub/user-redirect/ to Alice's own server: the attack really reached its target.
  await expect
    .poll(
      () =>
        documents.some(url => url.startsWith(aliceCallback)) ||
        popup.isClosed(),
      {
        message: 'the attacker’s popup reaches Alice’s callback'
      }
    )
    .toBe(true);

  // A positive end to "nothing arrived": messages from the callback page's document arrive in order,
  // so once a sentinel from the same document is in, anything it sent before is in too. A callback
  // page that closed itself first has sent all it will: then the attacker's watcher ends on the close.
  const state = (await captured(attacker)).state;
  const sentinelSent = await popup
    .waitForLoadState('load')
    .then(() =>
      popup.evaluate(s => {
        new BroadcastChannel(`tokentoss:${s}`).postMessage('sentinel');
        window.opener?.postMessage('sentinel', location.origin);
      }, state)
    )
    .then(
      () => true,
      () => false
    );
  await expect
    .poll(
      async () => {
        const now = await captured(attacker);
        return sentinelSent ? now.broadcasts.includes('"sentinel"') : now.done;
      },
      {
        message:
          'everything the callback page sent has reached the attacker page'
      }
    )
    .toBe(true);
  const loot = await captured(attacker);
  const everything = [
    ...documents,
    ...loot.broadcasts,
    ...loot.messages,
    ...loot.popupUrls
  ];
  expect(
    documents.filter(url => url.startsWith(aliceCallback)).length,
    'documents of the popup on Alice’s callback'
  ).toBeGreaterThan(0);
  expect(
    everything.filter(item => /[?&]code=|"code"/.test(item)),
    'what carried a code to a page on the hub’s origin'
  ).toEqual([]);
  await context.close();
});
