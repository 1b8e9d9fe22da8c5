/**
 * Bad and forged answers to a sign-in, in real Chromium against the demo provider (issue 4, "The
 * browser flow"): the provider's error, forged callbacks with a wrong state or from another origin,
 * injected codes with the right state, a hosted-domain mismatch, and the callback page itself with
 * HTML in `error_description`. Each must end with a clear message and nothing sent to the server.
 */
import { createHash, randomBytes } from 'node:crypto';

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
    //    channel name), but with callback URLs whose state is wrong, missing, or malformed.
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
          { type: CALLBACK_MESSAGE, url: forged(`${state}x`) },
          { type: CALLBACK_MESSAGE, url: forged('') },
          { type: CALLBACK_MESSAGE, url: `${callbackUrl(baseURL)}?code=x` },
          { type: CALLBACK_MESSAGE, url: 'not a url' },
          { type: 'something-else', url: forged(state) },
          { type: CALLBACK_MESSAGE, url: { href: forged(state) } }
        ]
      }
    );
    // 2. The real callback page opened with another sign-in's state (relays on another channel).
    await other.goto(forged('someone-elses-state')).catch(() => undefined);

    // 3. A same-origin window message (the JupyterLab page itself) with a wrong state.
    await page.evaluate(
      ({ message }) => window.postMessage(message, window.location.origin),
      { message: { type: CALLBACK_MESSAGE, url: forged(`not-${state}`) } }
    );

    // 4. The provider's page (another origin, opener intact) posts the right state to the opener.
    expect(await popup.evaluate(() => window.opener !== null)).toBe(true);
    await popup.evaluate(
      ({ message }) => window.opener.postMessage(message, '*'),
      { message: { type: CALLBACK_MESSAGE, url: forged(state) } }
    );

    // Not a fixed wait: until every forged message has reached the JupyterLab page (six on the
    // sign-in's channel, one on the other state's, two window messages).
    await expect
      .poll(relays, {
        message: 'every forged message reaches the JupyterLab page',
        timeout: 30_000
      })
      .toEqual({
        channels: { [state]: 6, 'someone-elses-state': 1 },
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

test.describe('the callback page', () => {
  // No JupyterLab needed: the page is opened directly, in both projects (/ and /user/alice/).
  test.use({ autoGoto: false, mockSettings: demoSettings() });

  test('shows HTML in error_description as text, with strict headers', async ({
    page,
    baseURL
  }) => {
    const payload = '<img src=x onerror=alert(1)><b>bold</b>';
    const callback = await page.context().newPage();
    const dialogs: string[] = [];
    callback.on('dialog', dialog => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const images: string[] = [];
    callback.on('request', req => {
      // The probe of imageErrorsFired is ours, not the payload's.
      if (req.resourceType() === 'image' && !req.url().endsWith(PROBE_IMAGE)) {
        images.push(req.url());
      }
    });

    for (const extra of ['', '&state=some-state']) {
      const url = `${callbackUrl(baseURL)}?error=access_denied&error_description=${encodeURIComponent(payload)}${extra}`;
      const response = await callback.goto(url);
      expect(response!.status()).toBe(200);
      const headers = response!.headers();
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

      const detail = callback.locator('#tokentoss-detail');
      await expect(detail).toHaveText(`access_denied: ${payload}`);
      await expect(detail).toBeVisible();
      await expect(callback.locator('#tokentoss-title')).toHaveText(
        'Sign-in failed'
      );
      expect(await callback.locator('img, b, script:not([src])').count()).toBe(
        0
      );
      // The answer's query string is scrubbed from the history.
      expect(await callback.evaluate(() => window.location.search)).toBe('');
    }
    // Not a fixed wait: until a would-be onerror handler would have fired.
    await imageErrorsFired(callback);
    expect(dialogs).toEqual([]);
    expect(images).toEqual([]);
    await callback.close();
  });
});
