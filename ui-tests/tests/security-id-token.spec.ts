/**
 * Forged ID tokens and insecure issuers, end to end (issue 4, "The browser flow"). The provider's
 * real token response is altered on the wire, as a man in the middle or a compromised provider
 * front would: wrong `aud`, wrong `iss`, expired, `iat` far in the future, another sign-in's nonce,
 * a bad signature, `alg: none`. Each must end with a clear message in the panel and no upload.
 * (tests/js/oauth.spec.ts checks the same forgeries on the flow module alone.)
 */
import { Page } from '@playwright/test';

import { expect, test } from './fixtures';
import {
  clickSignIn,
  demoSettings,
  expectPanelError,
  hasTokenFile,
  labOnlyWithCleanState,
  openSignedOutPanel,
  stats,
  watchTokenUploads
} from './security-helpers';
import { ISSUER } from './env';
import { popupClosed } from './waits';

const b64 = (value: object): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** Changes claims of a JWT, keeping its header and (now wrong) signature. */
const withClaims =
  (claims: Record<string, unknown>) =>
  (parts: string[]): string[] => {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    return [parts[0], b64({ ...payload, ...claims }), parts[2]];
  };

const now = () => Math.floor(Date.now() / 1000);

const FORGERIES: [string, (parts: string[]) => string[]][] = [
  ['a wrong audience', withClaims({ aud: 'someone-else' })],
  ['a wrong issuer', withClaims({ iss: 'https://evil.example' })],
  ['an expired token', withClaims({ exp: now() - 3600 })],
  ['an iat far in the future', withClaims({ iat: now() + 86400 })],
  ['another sign-in’s nonce', withClaims({ nonce: 'someone-elses-nonce' })],
  [
    'a bad signature',
    parts => [parts[0], parts[1], parts[2].slice(0, -6) + 'AAAAAA']
  ],
  ['alg none', parts => [b64({ alg: 'none', typ: 'JWT' }), parts[1], '']]
];

labOnlyWithCleanState();

test.describe('forged ID tokens', () => {
  test.use({ mockSettings: demoSettings() });

  test('every forged ID token is refused with a clear message and nothing is uploaded', async ({
    page
  }, testInfo) => {
    const panel = await openSignedOutPanel(page);
    const status = panel.locator('.jp-tokentoss-status');
    const error = panel.locator('.jp-tokentoss-error');
    const uploads = watchTokenUploads(page);

    let forge: (parts: string[]) => string[] = parts => parts;
    let forged = 0;
    await page.context().route(`${ISSUER}/token`, async route => {
      const response = await route.fetch();
      const body = await response.json();
      if (typeof body.id_token === 'string') {
        body.id_token = forge(body.id_token.split('.')).join('.');
        forged += 1;
      }
      await route.fulfill({ response, json: body });
    });

    const messages: string[] = [];
    for (const [name, forgery] of FORGERIES) {
      forge = forgery;
      const before = await stats(page.request);
      const popup = await clickSignIn(page, panel);
      await expect(status, name).toHaveAttribute('data-state', 'error');
      await expect(error, name).toContainText(
        'The ID token failed verification'
      );
      await expect(error, name).toContainText('nothing was saved');
      messages.push(`${name}: ${await error.textContent()}`);
      expect(
        (await stats(page.request)).token_requests,
        `${name}: the real code exchange happened`
      ).toBe(before.token_requests + 1);
      expect(uploads, name).toHaveLength(0);
      expect(hasTokenFile(testInfo.project.name), name).toBe(false);
      if (!popup.isClosed()) {
        await popup.close();
      }
    }
    expect(forged).toBe(FORGERIES.length);
    testInfo.annotations.push({
      type: 'messages',
      description: messages.join('\n')
    });
  });
});

test.describe('insecure issuer', () => {
  test.use({
    mockSettings: demoSettings({ issuer: 'http://idp.example.com' })
  });

  test('a plain-http issuer off loopback is refused: the window the click opened never leaves about:blank and closes', async ({
    page
  }, testInfo) => {
    const panel = await openSignedOutPanel(page);
    const uploads = watchTokenUploads(page);
    // The window opens inside the click (else it is blocked); the settings are checked in the
    // sign-in code that loads next, with the server's client (GET client) at hand.
    const popups: Page[] = [];
    page.on('popup', popup => popups.push(popup));
    const toIssuer: string[] = [];
    page.context().on('request', request => {
      if (new URL(request.url()).hostname === 'idp.example.com') {
        toIssuer.push(request.url());
      }
    });
    const before = await stats(page.request);

    await panel.locator('.jp-tokentoss-sign-in').click();
    await expectPanelError(panel, 'must use https', 'http://idp.example.com');
    // The way out is the settings.
    await expect(panel.locator('.jp-tokentoss-open-settings')).toHaveClass(
      /jp-mod-accept/
    );
    await expect
      .poll(() => popups.length, { message: 'one window opened' })
      .toBe(1);
    await popupClosed(popups[0], 'the sign-in closes the window it opened');
    expect(popups[0].url()).toBe('about:blank');
    expect(toIssuer).toEqual([]);
    expect((await stats(page.request)).authorizations).toBe(
      before.authorizations
    );
    expect(uploads).toHaveLength(0);
    expect(hasTokenFile(testInfo.project.name)).toBe(false);
  });
});
