/**
 * Shared helpers of the security Galata specs (security-*.spec.ts): settings as Galata mocks, the
 * demo provider's test hooks, the token file, the sidebar panel, and a watch on token uploads.
 */
import { existsSync, rmSync } from 'node:fs';

import { galata, IJupyterLabPageFixture } from '@jupyterlab/galata';
import {
  APIRequestContext,
  expect,
  Locator,
  Page,
  Request
} from '@playwright/test';

import { CLIENT_ID, CLIENT_SECRET, ISSUER, SERVICE, tokenFile } from './env';
import { test } from './fixtures';

export const PANEL_ID = 'tokentoss-panel';

/** Only the `lab` project runs most security tests: the base URL does not change what they check. */
export const LAB_ONLY = 'runs once, in the lab project (base URL /)';

/**
 * Galata's mocked settings with tokentoss configured for the demo provider (in memory, per test:
 * nothing is written to the settings folder).
 */
export function demoSettings(
  extra: Record<string, unknown> = {}
): Record<string, unknown> {
  return {
    ...galata.DEFAULT_SETTINGS,
    'tokentoss:plugin': {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      issuer: ISSUER,
      ...extra
    }
  };
}

/** The demo provider's counters (GET /__stats). */
export interface IStats {
  token_requests: number;
  refresh_requests: number;
  revocations: number;
  authorizations: number;
}

export async function stats(request: APIRequestContext): Promise<IStats> {
  const response = await request.get(`${SERVICE}/__stats`);
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as IStats;
}

/** Changes the demo provider's behaviour (POST /__control of `service`, the tests' by default). */
export async function control(
  request: APIRequestContext,
  body: Record<string, unknown>,
  service = SERVICE
): Promise<void> {
  const response = await request.post(`${service}/__control`, { data: body });
  expect(response.ok(), await response.text()).toBeTruthy();
}

/** Puts the demo provider back to its start values and removes the project's token file. */
export async function resetAll(
  request: APIRequestContext,
  projectName: string
): Promise<void> {
  const response = await request.post(`${SERVICE}/__reset`);
  expect(response.ok()).toBeTruthy();
  rmSync(tokenFile(projectName), { force: true });
}

/**
 * Registers hooks that run the enclosing tests in the lab project only, each starting and ending
 * with a reset provider and no token file.
 */
export function labOnlyWithCleanState(): void {
  test.beforeEach(async ({ request }, testInfo) => {
    test.skip(testInfo.project.name !== 'lab', LAB_ONLY);
    await resetAll(request, testInfo.project.name);
  });
  test.afterEach(async ({ request }, testInfo) => {
    await resetAll(request, testInfo.project.name);
  });
}

export function hasTokenFile(projectName: string): boolean {
  return existsSync(tokenFile(projectName));
}

/** Opens the tokentoss sidebar and waits until it knows the user is signed out. */
export async function openSignedOutPanel(
  page: IJupyterLabPageFixture
): Promise<Locator> {
  await page.sidebar.openTab(PANEL_ID);
  const panel = page.locator(`#${PANEL_ID}`);
  await expect(panel).toBeVisible();
  await expect(panel.locator('.jp-tokentoss-status')).toHaveAttribute(
    'data-state',
    'signed-out'
  );
  return panel;
}

/** Clicks the panel's sign-in button and returns the popup it opened. */
export async function clickSignIn(
  page: IJupyterLabPageFixture,
  panel: Locator
): Promise<Page> {
  const popupOpened = page.waitForEvent('popup');
  await panel.locator('.jp-tokentoss-sign-in').click();
  return popupOpened;
}

/** A sign-in started from the panel whose popup waits on the provider's consent page. */
export interface IConsentSignIn {
  panel: Locator;
  status: Locator;
  uploads: Request[];
  popup: Page;
  allow: Locator;
}

/**
 * Opens the signed-out panel, watches token uploads, and starts a sign-in that stops at the
 * provider's consent page (`consent: 'wait'`, plus any other `/__control` settings).
 */
export async function signInUntilConsent(
  page: IJupyterLabPageFixture,
  settings: Record<string, unknown> = {}
): Promise<IConsentSignIn> {
  await control(page.request, { consent: 'wait', ...settings });
  const panel = await openSignedOutPanel(page);
  const uploads = watchTokenUploads(page);
  const popup = await clickSignIn(page, panel);
  const allow = popup.getByRole('button', { name: 'Allow' });
  await expect(allow).toBeVisible();
  return {
    panel,
    status: panel.locator('.jp-tokentoss-status'),
    uploads,
    popup,
    allow
  };
}

/** The panel shows an error containing every one of `texts`. */
export async function expectPanelError(
  panel: Locator,
  ...texts: string[]
): Promise<void> {
  await expect(panel.locator('.jp-tokentoss-status')).toHaveAttribute(
    'data-state',
    'error'
  );
  for (const text of texts) {
    await expect(panel.locator('.jp-tokentoss-error')).toContainText(text);
  }
}

/**
 * Records every token upload (`PUT …tokentoss/tokens`) made by any page of the test's browser
 * context, the popup included.
 */
export function watchTokenUploads(page: Page): Request[] {
  const uploads: Request[] = [];
  page.context().on('request', request => {
    if (
      request.method() === 'PUT' &&
      new URL(request.url()).pathname.endsWith('/tokentoss/tokens')
    ) {
      uploads.push(request);
    }
  });
  return uploads;
}

/** The `state` of an authorization request, read from the popup's URL at the provider. */
export function stateOf(popup: Page): string {
  const state = new URL(popup.url()).searchParams.get('state');
  expect(state, `no state in ${popup.url()}`).toBeTruthy();
  return state!;
}

/** The callback URL of a project (`{baseURL}/tokentoss/callback`). */
export function callbackUrl(baseURL: string | undefined): string {
  return `${baseURL}/tokentoss/callback`;
}
