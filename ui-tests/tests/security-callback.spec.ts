/**
 * Bad and forged answers to a sign-in, in real Chromium against the demo provider (issue 4, "The
 * browser flow"): the provider's error, forged callbacks with a wrong state or from another origin,
 * injected codes with the right state, a hosted-domain mismatch, and the callback page itself with
 * HTML in `error_description`. Each must end with a clear message and nothing sent to the server.
 */
import { createHash, randomBytes } from 'node:crypto';

import { Page, Response } from '@playwright/test';

import { EMAIL, ISSUER, CLIENT_ID } from './env';
import { expect, test } from './fixtures';
import {
  callbackUrl,
  clickSignIn,
  control,
  demoSettings,
  hasTokenFile,
  labOnlyWithCleanState,
  openSignedOutPanel,
  resetAll,
  signInUntilConsent,
  stateOf,
  stats,
  watchTokenUploads
} from './security-helpers';
import { imageErrorsFired, PROBE_IMAGE, watchRelays } from './waits';

const CALLBACK_MESSAGE = 'tokentoss:callback';

test.describe('the sign-in rejects bad answers', () => {
  test.use({ mockSettings: demoSettings() });

  labOnlyWithCleanState();

  test('the provider answers access_denied: clear message, no code exchange, nothing stored', async ({
    page
  }, testInfo) => {
    await control(page.request, { authorize_error: 'access_denied' });
    const panel = await openSignedOutPanel(page);
    const uploads = watchTokenUploads(page);
    const before = await stats(page.request);

    await clickSignIn(page, panel);
    await expect(panel.locator('.jp-tokentoss-status')).toHaveAttribute(
      'data-state',
      'error'
    );
    await expect(panel.locator('.jp-tokentoss-error')).toHaveText(
      'The identity provider did not sign you in: The identity provider refused the sign-in (access_denied).'
    );
    await expect(panel.locator('.jp-tokentoss-sign-in')).toHaveText(
      'Try again: Sign in with Google'
    );
    const after = await stats(page.request);
    expect(after.authorizations).toBe(before.authorizations + 1);
    expect(after.token_requests).toBe(before.token_requests);
    expect(uploads).toHaveLength(0);
    expect(hasTokenFile(testInfo.project.name)).toBe(false);
  });

  test('an error_description carrying HTML reaches the panel as text', async ({
    page,
    baseURL
  }, testInfo) => {
    const dialogs: string[] = [];
    page.context().on('dialog', dialog => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const { panel, uploads, popup } = await signInUntilConsent(page);
    const payload = '<img src=x onerror=alert(1)><b>bold</b>';
    // The answer an attacker who knows the state (or a hostile provider) could send.
    const other = await page.context().newPage();
    await other
      .goto(
        `${callbackUrl(baseURL)}?state=${stateOf(popup)}&error=access_denied&error_description=${encodeURIComponent(payload)}`
      )
      .catch(() => undefined);
    const error = panel.locator('.jp-tokentoss-error');
    await expect(error).toHaveText(
      `The identity provider did not sign you in: The identity provider refused the sign-in (access_denied: ${payload}).`
    );
    expect(await panel.locator('img, b').count()).toBe(0);
    // Not a fixed wait: until an injected image's onerror would have run.
    await imageErrorsFired(page);
    expect(dialogs).toEqual([]);
    expect(uploads).toHaveLength(0);
    expect(hasTokenFile(testInfo.project.name)).toBe(false);
    await popup.close();
    if (!other.isClosed()) {
      await other.close();
    }
  });

  test('forged callbacks with a wrong state, or from another origin, are ignored while the real sign-in goes on', async ({
    page,
    baseURL
  }, testInfo) => {
    const { status, uploads, popup, allow } = await signInUntilConsent(page);
    await expect(status).toHaveText(/Waiting for you/);
    const state = stateOf(popup);
    const relays = await watchRelays(page, [state, 'someone-elses-state']);
    const before = await stats(page.request);
    const forged = (s: string) =>
      `${callbackUrl(baseURL)}?code=forged-code&state=${encodeURIComponent(s)}`;

    // 1. Another page of JupyterLab's origin posts on the real sign-in's channel (it guessed the
    //    channel name): relays with a wrong, empty, missing or non-string state, another type, the
    //    old relay's callback URL with a code (never read now), and even the right state, which is
    //    only a hint: the lab asks its server, which says the sign-in is still waiting.
    const other = await page.context().newPage();
    await other.goto(`${baseURL}/tokentoss/callback.css`);
    await other.evaluate(
      ({ channelName, messages }) => {
        const channel = new BroadcastChannel(channelName);
        for (const message of messages) {
          channel.postMessage(message);
        }
        channel.close();
      },
      {
        channelName: `tokentoss:${state}`,
        messages: [
          { type: CALLBACK_MESSAGE, state: `${state}x` },
          { type: CALLBACK_MESSAGE, state: '' },
          { type: CALLBACK_MESSAGE },
          { type: CALLBACK_MESSAGE, state: { toString: state } },
          { type: 'something-else', state },
          { type: CALLBACK_MESSAGE, url: forged(state) },
          { type: CALLBACK_MESSAGE, state }
        ]
      }
    );
    // 2. The real callback page opened with a state this server never registered: the generic
    //    page, and nothing relayed on that state's channel.
    await other.goto(forged('someone-elses-state'));
    await expect(other.locator('#tokentoss-title')).toHaveText(
      'This sign-in answer does not belong to a sign-in started in this JupyterLab'
    );

    // 3. A same-origin window message (the JupyterLab page itself) with a wrong state.
    await page.evaluate(
      ({ message }) => window.postMessage(message, window.location.origin),
      { message: { type: CALLBACK_MESSAGE, state: `not-${state}` } }
    );

    // 4. The provider's page (another origin, opener intact) posts the right state to the opener.
    expect(await popup.evaluate(() => window.opener !== null)).toBe(true);
    await popup.evaluate(
      ({ message }) => window.opener.postMessage(message, '*'),
      { message: { type: CALLBACK_MESSAGE, state } }
    );

    // Not a fixed wait: until every forged message has reached the JupyterLab page (seven on the
    // sign-in's channel, none from the generic page, two window messages).
    await expect
      .poll(relays, {
        message: 'every forged message reaches the JupyterLab page',
        timeout: 30_000
      })
      .toEqual({
        channels: { [state]: 7, 'someone-elses-state': 0 },
        window: 2
      });
    // Nothing happened: still waiting, no code went to the token endpoint, nothing uploaded.
    await expect(status).toHaveText(/Waiting for you/);
    expect((await stats(page.request)).token_requests).toBe(
      before.token_requests
    );
    expect(uploads).toHaveLength(0);
    expect(hasTokenFile(testInfo.project.name)).toBe(false);

    // The real answer is still taken.
    await allow.click();
    await expect(status).toHaveText(`Signed in as ${EMAIL}`);
    expect((await stats(page.request)).token_requests).toBe(
      before.token_requests + 1
    );
    expect(uploads).toHaveLength(1);
    expect(hasTokenFile(testInfo.project.name)).toBe(true);
    if (!other.isClosed()) {
      await other.close();
    }
  });

  test('a callback with the right state but a garbage or injected code is rejected with a clear message', async ({
    page,
    baseURL,
    request
  }, testInfo) => {
    await control(page.request, { consent: 'wait' });
    const panel = await openSignedOutPanel(page);
    const status = panel.locator('.jp-tokentoss-status');
    const error = panel.locator('.jp-tokentoss-error');
    const uploads = watchTokenUploads(page);
    const other = await page.context().newPage();

    // 1. Garbage code, delivered by the real callback page opened in another tab of this origin.
    let popup = await clickSignIn(page, panel);
    await expect(popup.getByRole('button', { name: 'Allow' })).toBeVisible();
    let state = stateOf(popup);
    await other
      .goto(
        `${callbackUrl(baseURL)}?code=garbage-${randomBytes(8).toString('hex')}&state=${state}`
      )
      .catch(() => undefined);
    await expect(status).toHaveAttribute('data-state', 'error');
    await expect(error).toContainText(
      'The identity provider refused the answer of this sign-in'
    );
    await expect(error).toContainText('Malformed auth code');
    expect(uploads).toHaveLength(0);
    expect(hasTokenFile(testInfo.project.name)).toBe(false);
    await popup.close();

    // 2. Code injection (RFC 9700 4.5): a real code, issued to the attacker's own authorization
    //    request (own PKCE challenge), slipped in with the victim's state. PKCE must stop it.
    const attackerVerifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${ISSUER}/authorize`);
    for (const [name, value] of Object.entries({
      client_id: CLIENT_ID,
      redirect_uri: callbackUrl(baseURL),
      response_type: 'code',
      scope: 'openid email',
      code_challenge: createHash('sha256')
        .update(attackerVerifier)
        .digest('base64url'),
      code_challenge_method: 'S256',
      state: 'attacker',
      nonce: 'attacker',
      access_type: 'offline',
      __consented: '1'
    })) {
      authorize.searchParams.set(name, value);
    }
    const issued = await request.get(authorize.href, { maxRedirects: 0 });
    expect(issued.status()).toBe(302);
    const attackerCode = new URL(issued.headers()['location']).searchParams.get(
      'code'
    );
    expect(attackerCode).toBeTruthy();

    popup = await clickSignIn(page, panel);
    await expect(popup.getByRole('button', { name: 'Allow' })).toBeVisible();
    state = stateOf(popup);
    const before = await stats(page.request);
    await other
      .goto(
        `${callbackUrl(baseURL)}?code=${encodeURIComponent(attackerCode!)}&state=${state}&iss=${encodeURIComponent(ISSUER)}`
      )
      .catch(() => undefined);
    await expect(status).toHaveAttribute('data-state', 'error');
    await expect(error).toContainText(
      'The identity provider refused the answer of this sign-in'
    );
    await expect(error).toContainText('Invalid code verifier');
    expect((await stats(page.request)).token_requests).toBe(
      before.token_requests + 1
    );
    expect(uploads).toHaveLength(0);
    expect(hasTokenFile(testInfo.project.name)).toBe(false);
    await popup.close();
    if (!other.isClosed()) {
      await other.close();
    }
  });
});

test.describe('hosted domain', () => {
  test.use({ mockSettings: demoSettings({ hostedDomain: 'example.com' }) });

  labOnlyWithCleanState();

  test('an account of another domain (hd other.example, or no hd) is refused and nothing stored', async ({
    page
  }, testInfo) => {
    const panel = await openSignedOutPanel(page);
    const status = panel.locator('.jp-tokentoss-status');
    const error = panel.locator('.jp-tokentoss-error');
    const uploads = watchTokenUploads(page);
    const asked: string[] = [];
    page.context().on('request', req => {
      const url = new URL(req.url());
      if (url.pathname === '/authorize') {
        asked.push(url.searchParams.get('hd') ?? '');
      }
    });

    for (const hd of ['other.example', null]) {
      await control(page.request, { hd });
      const popup = await clickSignIn(page, panel);
      await expect(status).toHaveAttribute('data-state', 'error');
      await expect(error).toHaveText(
        'This account is not part of example.com. Sign in with an account of that domain.'
      );
      expect(uploads).toHaveLength(0);
      expect(hasTokenFile(testInfo.project.name)).toBe(false);
      if (!popup.isClosed()) {
        await popup.close();
      }
    }
    // The authorization request asked the provider for that domain, too.
    expect(asked).toEqual(['example.com', 'example.com']);
  });
});

/** The callback page's strict headers (CSP, no cache, no referrer), on any of its responses. */
function expectStrictHeaders(response: Response): void {
  const headers = response.headers();
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(headers['cache-control']).toContain('no-store');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-content-type-options']).toBe('nosniff');
}

/** Records the dialogs of every page of the context, and its requests for the payload's image `x`. */
function watchInjections(page: Page): { dialogs: string[]; images: string[] } {
  const seen = { dialogs: [] as string[], images: [] as string[] };
  page.context().on('dialog', dialog => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.context().on('request', req => {
    // `src=x`, wherever it would resolve; the probe of imageErrorsFired (`x?…`) is ours.
    if (
      req.resourceType() === 'image' &&
      new URL(req.url()).pathname.endsWith('/x') &&
      !req.url().endsWith(PROBE_IMAGE)
    ) {
      seen.images.push(req.url());
    }
  });
  return seen;
}

const HTML_PAYLOAD = '<img src=x onerror=alert(1)><b>bold</b>';

test.describe('the callback page', () => {
  test.use({ mockSettings: demoSettings() });

  // In both projects (/ and /user/alice/): the callback's redirect must keep the base URL.
  test.beforeEach(async ({ request }, testInfo) => {
    await resetAll(request, testInfo.project.name);
  });
  test.afterEach(async ({ request }, testInfo) => {
    await resetAll(request, testInfo.project.name);
  });

  test("a registered sign-in's provider error with HTML in error_description: text on callback/done and in the panel, strict headers", async ({
    page,
    baseURL
  }, testInfo) => {
    const injections = watchInjections(page);
    const { panel, uploads, popup } = await signInUntilConsent(page);
    const state = stateOf(popup);
    // A hostile (or careless) provider answers this lab's registered sign-in with HTML. The answer
    // is opened in a tab of its own: on a failure the lab closes its sign-in window, and this test
    // reads the outcome page after that.
    await control(page.request, {
      consent: 'auto',
      authorize_error: 'access_denied',
      authorize_error_description: HTML_PAYLOAD
    });
    const before = await stats(page.request);
    const answer = await page.context().newPage();
    const done = await answer.goto(popup.url());

    // The provider redirected to GET callback, which took the answer and sent the tab on to
    // callback/done with the state only.
    expect(answer.url()).toBe(`${callbackUrl(baseURL)}/done?state=${state}`);
    const callback = await done!.request().redirectedFrom()!.response();
    expect(callback!.url()).toContain(`${callbackUrl(baseURL)}?`);
    expect(callback!.status()).toBe(303);
    expectStrictHeaders(callback!);
    expect(done!.status()).toBe(200);
    expectStrictHeaders(done!);

    // callback/done: the server's text, escaped; no element of the payload, no inline script.
    const message = `The identity provider refused the sign-in (access_denied: ${HTML_PAYLOAD}).`;
    await expect(answer.locator('#tokentoss-title')).toHaveText(
      'Sign-in failed'
    );
    await expect(answer.locator('#tokentoss-detail')).toContainText(message);
    expect(await answer.locator('img, b, script:not([src])').count()).toBe(0);

    // The panel read the outcome (GET signins/<state>) and shows the same words as text.
    await expect(panel.locator('.jp-tokentoss-error')).toHaveText(
      `The identity provider did not sign you in: ${message}`
    );
    expect(await panel.locator('img, b').count()).toBe(0);

    // Not a fixed wait: until an injected image's onerror would have run, in both pages.
    await imageErrorsFired(answer);
    await imageErrorsFired(page);
    expect(injections).toEqual({ dialogs: [], images: [] });
    expect(uploads).toHaveLength(0);
    const after = await stats(page.request);
    expect(after.authorizations).toBe(before.authorizations + 1);
    expect(after.token_requests).toBe(before.token_requests);
    expect(hasTokenFile(testInfo.project.name)).toBe(false);
    await answer.close();
    if (!popup.isClosed()) {
      await popup.close();
    }
  });
});

test.describe('the callback page, without a sign-in', () => {
  // No JupyterLab needed: the page is opened directly, in both projects (/ and /user/alice/).
  test.use({ autoGoto: false });

  test('an error answer to no registered sign-in: the generic page, none of its text, strict headers', async ({
    page,
    baseURL
  }) => {
    const injections = watchInjections(page);
    const other = await page.context().newPage();
    for (const extra of ['', '&state=some-state-that-nobody-registered']) {
      const url = `${callbackUrl(baseURL)}?error=access_denied&error_description=${encodeURIComponent(HTML_PAYLOAD)}${extra}`;
      const response = await other.goto(url);
      // 303 to callback/done without a query: nothing is relayed, nothing of the answer shown.
      const redirect = await response!.request().redirectedFrom()!.response();
      expect(redirect!.status()).toBe(303);
      expectStrictHeaders(redirect!);
      expect(other.url()).toBe(`${callbackUrl(baseURL)}/done`);
      expect(response!.status()).toBe(200);
      expectStrictHeaders(response!);
      await expect(other.locator('#tokentoss-title')).toHaveText(
        'This sign-in answer does not belong to a sign-in started in this JupyterLab'
      );
      await expect(other.locator('body')).not.toContainText('access_denied');
      await expect(other.locator('body')).not.toContainText('bold');
      expect(await other.locator('img, b, script:not([src])').count()).toBe(0);
    }
    await imageErrorsFired(other);
    expect(injections).toEqual({ dialogs: [], images: [] });
    await other.close();
  });
});
