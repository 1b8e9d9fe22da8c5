/**
 * Accessibility of tokentoss's own UI (issue 15): the sidebar panel, the status bar item and the
 * in-cell cards. axe-core finds no serious or critical violation in them, in the light and the
 * dark theme; every control is reached and used with the keyboard alone; state changes are
 * announced through the panel's live region, which stays in place while its text changes.
 */
import AxeBuilder from '@axe-core/playwright';
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import { EMAIL, ISSUER } from './env';
import { expect, test } from './fixtures';
import { signInFromPanel, THEMES, useTheme } from './layout-helpers';
import {
  demoSettings,
  labOnlyWithCleanState,
  openSignedOutPanel,
  PANEL_ID
} from './security-helpers';
import { popupClosed } from './waits';

const STATUS_ITEM = '.jp-tokentoss-statusbar';
const CARDS_CELL = [
  'import tokentoss',
  'display(tokentoss.GoogleAuthWidget())',
  'display(tokentoss.ConfigureWidget())'
].join('\n');

test.use({
  mockSettings: demoSettings(),
  viewport: { width: 1366, height: 800 },
  permissions: ['clipboard-read', 'clipboard-write']
});

labOnlyWithCleanState();

/** The serious and critical violations axe-core finds in our UI only, as readable lines. */
async function violations(
  page: IJupyterLabPageFixture,
  ...selectors: string[]
): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags([
    'wcag2a',
    'wcag2aa',
    'wcag21a',
    'wcag21aa',
    'wcag22aa',
    'best-practice'
  ]);
  for (const selector of selectors) {
    builder = builder.include(selector);
  }
  const results = await builder.analyze();
  // The scan did look at our UI: its buttons were checked for a name.
  expect(results.passes.map(rule => rule.id)).toContain('button-name');
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .flatMap(v =>
      v.nodes.map(
        node => `${v.id} (${v.impact}): ${node.target.join(' ')}: ${v.help}`
      )
    );
}

/** Records, in the page, every text the live region takes while it stays the same node. */
async function watchAnnouncements(status: Locator): Promise<
  () => Promise<{
    texts: string[];
    connected: boolean;
  }>
> {
  await status.evaluate(region => {
    const texts: string[] = [];
    new MutationObserver(() => texts.push(region.textContent ?? '')).observe(
      region,
      { childList: true, characterData: true, subtree: true }
    );
    (window as any).__tokentossAnnounced = { region, texts };
  });
  return () =>
    status.page().evaluate(() => {
      const { region, texts } = (window as any).__tokentossAnnounced;
      return {
        texts: texts as string[],
        connected: (region as HTMLElement).isConnected
      };
    });
}

/** Presses Tab until `target` has the focus (at most `limit` times); says how often. */
async function tabTo(
  page: IJupyterLabPageFixture,
  target: Locator,
  limit = 15
): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate(el => el === document.activeElement)) {
      return presses;
    }
  }
  throw new Error(`Tab did not reach ${target} in ${limit} presses`);
}

/** Puts the focus on the panel's sidebar tab, where a keyboard user enters the panel. */
async function focusSidebarTab(page: IJupyterLabPageFixture): Promise<void> {
  const tab = page.locator(`.jp-SideBar [data-id="${PANEL_ID}"]`);
  await tab.focus();
  await expect(tab).toBeFocused();
}

for (const theme of THEMES) {
  test(`axe finds no serious or critical violation in the panel, status bar item and cards (${theme})`, async ({
    page
  }) => {
    await useTheme(page, theme);
    const panel = await openSignedOutPanel(page);
    expect(await violations(page, `#${PANEL_ID}`, STATUS_ITEM)).toEqual([]);

    await signInFromPanel(page, panel);
    await panel.locator('.jp-tokentoss-usage summary').click();
    await expect(panel.locator('.jp-tokentoss-snippet').first()).toBeVisible();
    expect(await violations(page, `#${PANEL_ID}`, STATUS_ITEM)).toEqual([]);

    // The in-cell cards, drawn in a notebook output by the kernel's display().
    await page.notebook.createNew('cards.ipynb');
    await page.notebook.setCell(0, 'code', CARDS_CELL);
    await page.notebook.runCell(0);
    const signInCard = page.locator('.jp-tokentoss-signin-card');
    await expect(signInCard.locator('.jp-tokentoss-status')).toHaveText(
      `Signed in as ${EMAIL}`
    );
    await expect(
      page.locator('.jp-tokentoss-configure-card form')
    ).toBeVisible();
    expect(await violations(page, '.jp-tokentoss-card')).toEqual([]);
  });
}

test('keyboard only: Tab to the sign-in button, Enter, and the live region announces the sign-in', async ({
  page
}) => {
  const panel = await openSignedOutPanel(page);
  const status = panel.locator('.jp-tokentoss-status');
  await expect(status).toHaveAttribute('aria-live', 'polite');
  const announced = await watchAnnouncements(status);

  await focusSidebarTab(page);
  const signIn = panel.getByRole('button', { name: 'Sign in with Google' });
  await tabTo(page, signIn);
  const popupOpened = page.waitForEvent('popup');
  await page.keyboard.press('Enter');
  await popupClosed(await popupOpened);

  await expect(status).toHaveText(`Signed in as ${EMAIL}`);
  // The sign-in button is gone; the focus stayed in the panel, on its first action.
  await expect(
    panel.getByRole('button', { name: 'Refresh now' })
  ).toBeFocused();
  const seen = await announced();
  // The same region, changed in place: what a screen reader announces.
  expect(seen.connected).toBe(true);
  expect(seen.texts).toContain(`Signed in as ${EMAIL}`);
  expect(seen.texts.some(text => text.startsWith('Opening'))).toBe(true);

  // Signed in, every control of the panel is reached by Tab, in order, and named.
  await panel.locator('.jp-tokentoss-usage summary').focus();
  await page.keyboard.press('Enter'); // opens the notebook usage
  await expect(panel.locator('.jp-tokentoss-snippet').first()).toBeVisible();
  await focusSidebarTab(page);
  const controls = panel.locator(
    'button:not([disabled]), summary, [tabindex="0"]'
  );
  const count = await controls.count();
  expect(count).toBeGreaterThanOrEqual(6);
  for (let i = 0; i < count; i++) {
    await tabTo(page, controls.nth(i), 1);
  }

  // A redraw (here after a refresh) gives the focus back to the redrawn button and keeps the
  // notebook usage open.
  const refresh = panel.getByRole('button', { name: 'Refresh now' });
  await refresh.evaluate(button => ((button as any).__beforeRedraw = true));
  await refresh.focus();
  await page.keyboard.press('Enter');
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const focused = document.activeElement as any;
          return (
            focused?.classList.contains('jp-tokentoss-refresh') &&
            !focused.__beforeRedraw
          );
        }),
      { message: 'the redrawn Refresh now button has the focus' }
    )
    .toBe(true);
  await expect(panel.locator('.jp-tokentoss-usage')).toHaveAttribute(
    'open',
    ''
  );

  // The copy button copies the provider URL (never a token), by keyboard.
  const copy = panel.locator('.jp-tokentoss-issuer button');
  await expect(copy).toHaveAccessibleName('Copy provider URL');
  await copy.focus();
  await page.keyboard.press('Enter');
  await expect(copy).toHaveAccessibleName('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    ISSUER
  );

  // Sign out by keyboard; the region announces it.
  await panel.getByRole('button', { name: 'Sign out' }).focus();
  await page.keyboard.press('Enter');
  await expect(status).toHaveText('Signed out');
  expect((await announced()).texts).toContain('Signed out');
});

test('the status bar item is a named button in the Tab order: Enter signs in, Space shows the panel', async ({
  page
}) => {
  const item = page.locator(STATUS_ITEM);
  await expect(item).toHaveAttribute('role', 'button');
  await expect(item).toHaveAttribute('tabindex', '0');
  await expect(item).toHaveAccessibleName('tokentoss: Sign in');
  await expect(page.locator(`#${PANEL_ID}`)).toBeHidden();

  // Signed out, the item is the sign-in button: Enter shows the panel and opens the popup.
  await item.focus();
  const popupOpened = page.waitForEvent('popup');
  await page.keyboard.press('Enter');
  await popupClosed(await popupOpened);
  const panel = page.locator(`#${PANEL_ID}`);
  await expect(panel).toBeVisible();
  await expect(panel.locator('.jp-tokentoss-status')).toHaveText(
    `Signed in as ${EMAIL}`
  );
  await expect(item).toHaveAccessibleName(`tokentoss: ${EMAIL}`);

  // Signed in, Space only shows the panel again.
  await page.sidebar.close('left');
  await expect(panel).toBeHidden();
  await item.focus();
  await page.keyboard.press('Space');
  await expect(panel).toBeVisible();
});
