/**
 * Other extensions can use the sign-in (issue 14). A second, tiny extension
 * (ui-tests/consumer-extension, loaded into the `lab` project's JupyterLab only) requires
 * `ITokenToss` with `tokentoss` shared, not bundled, and shows the session in the right sidebar
 * with sign-in, refresh and sign-out buttons. Against the demo provider, in real Chromium.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import { EMAIL } from './env';
import { expect, test } from './fixtures';
import {
  clickSignIn,
  demoSettings,
  hasTokenFile,
  labOnlyWithCleanState,
  openSignedOutPanel,
  stats
} from './security-helpers';
import { popupClosed } from './waits';

test.use({ mockSettings: demoSettings() });

labOnlyWithCleanState();

const CONSUMER_ID = 'tokentoss-consumer';

/** Opens the consumer's panel (right sidebar); it stays visible beside the tokentoss sidebar. */
async function openConsumer(page: IJupyterLabPageFixture): Promise<Locator> {
  const tab = page.sidebar.getTabLocator(CONSUMER_ID);
  await expect(
    tab,
    'the consumer extension is not loaded or its plugin did not activate (no ITokenToss provider?)'
  ).toHaveCount(1);
  await page.sidebar.openTab(CONSUMER_ID);
  const consumer = page.locator(`#${CONSUMER_ID}`);
  await expect(consumer).toBeVisible();
  return consumer;
}

test('the consumer gets the same ITokenToss and follows a sidebar sign-in through its signal', async ({
  page
}) => {
  const consumer = await openConsumer(page);
  const panel = await openSignedOutPanel(page);
  await expect(consumer.locator('.tokentoss-consumer-session')).toHaveText(
    'signed-out'
  );

  // The service the consumer received is the very one tokentoss's plugin provides, resolved
  // with the Token of tokentoss's own module (one shared copy of the package, not two).
  const seen = await page.evaluate(async () => {
    const app = (window as any).jupyterapp;
    const received = await app.commands.execute('tokentoss-consumer:service');
    const container = (window as any)._JUPYTERLAB.tokentoss;
    const { ITokenToss } = (await container.get('./index'))();
    const provided = await app.resolveRequiredService(ITokenToss);
    return {
      same: received === provided,
      session: provided.session
    };
  });
  expect(seen.same).toBe(true);
  expect(seen.session).toMatchObject({ status: 'signed-out', signedIn: false });

  // The client of the (mocked) settings: the browser redeems the code.
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const app = (window as any).jupyterapp;
        const service = await app.commands.execute(
          'tokentoss-consumer:service'
        );
        return service.session.mode;
      })
    )
    .toBe('browser');

  const popup = await clickSignIn(page, panel);
  await popupClosed(popup);
  await expect(panel.locator('.jp-tokentoss-status')).toHaveText(
    `Signed in as ${EMAIL}`
  );
  await expect(consumer.locator('.tokentoss-consumer-session')).toHaveText(
    `signed-in as ${EMAIL}`
  );
  // Only the signal writes the list: it passed the sign-in through, ending signed in.
  const changes = consumer.locator('.tokentoss-consumer-changes li');
  await expect(changes.last()).toHaveText(`signed-in as ${EMAIL}`);
  await expect(changes.filter({ hasText: 'signing-in' })).not.toHaveCount(0);

  // What the consumer can read carries no token value.
  const session = await page.evaluate(async () => {
    const app = (window as any).jupyterapp;
    const service = await app.commands.execute('tokentoss-consumer:service');
    return JSON.stringify(service.session);
  });
  expect(JSON.parse(session)).toMatchObject({
    signedIn: true,
    email: EMAIL,
    canRefresh: true
  });
  expect(session).not.toMatch(/eyJ|token"/);
});

test("the consumer's buttons sign in through the popup, refresh, and sign the panel out", async ({
  page
}, testInfo) => {
  const panel = await openSignedOutPanel(page);
  const consumer = await openConsumer(page);
  const session = consumer.locator('.tokentoss-consumer-session');
  const status = panel.locator('.jp-tokentoss-status');
  const before = await stats(page.request);

  // signIn() inside the user's click on the consumer's button: the popup is not blocked.
  const popupOpened = page.waitForEvent('popup');
  await consumer.locator('.tokentoss-consumer-sign-in').click();
  await popupClosed(await popupOpened);
  await expect(status).toHaveText(`Signed in as ${EMAIL}`);
  await expect(session).toHaveText(`signed-in as ${EMAIL}`);
  expect(hasTokenFile(testInfo.project.name)).toBe(true);
  const signedIn = await stats(page.request);
  expect(signedIn.authorizations).toBe(before.authorizations + 1);

  const changes = consumer.locator('.tokentoss-consumer-changes li');
  const changesBefore = await changes.count();
  await consumer.locator('.tokentoss-consumer-refresh').click();
  // The refresh reached the provider, and its answer came back through the signal.
  await expect
    .poll(async () => (await stats(page.request)).refresh_requests, {
      message: 'the refresh reaches the provider'
    })
    .toBe(signedIn.refresh_requests + 1);
  await expect(changes).toHaveCount(changesBefore + 1);
  await expect(changes.last()).toHaveText(`signed-in as ${EMAIL}`);

  await consumer.locator('.tokentoss-consumer-sign-out').click();
  await expect(status).toHaveText('Signed out');
  await expect(session).toHaveText('signed-out');
  expect(hasTokenFile(testInfo.project.name)).toBe(false);
  expect((await stats(page.request)).revocations).toBe(
    signedIn.revocations + 1
  );
});
