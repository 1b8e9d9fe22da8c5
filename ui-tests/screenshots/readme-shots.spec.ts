/**
 * The README's screenshots, taken from the real UI in one walk through it (`npm run screenshots`):
 * the sidebar signed out, the sign-in as three stills (the click, the provider's page in the popup,
 * the panel signed in), a notebook cell calling the demo's protected service, the Settings Editor on
 * tokentoss, the status bar item, and the panel in the dark theme. Every step waits for the state it
 * pictures; nothing waits for time.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator, Page } from '@playwright/test';

import { expect, test } from '../tests/fixtures';
import { EMAIL } from '../tests/env';
import {
  clickSignIn,
  control,
  demoSettings,
  openSignedOutPanel,
  PANEL_ID
} from '../tests/security-helpers';
import { openTokentossSettings } from '../tests/settings-editor';
import { popupClosed } from '../tests/waits';
import {
  contentClip,
  downToClip,
  shoot,
  sidebarClip,
  statusBarClip
} from './shoot';
import { SHOTS_ISSUER, SHOTS_SERVICE } from './shots-env';

/** The cell of `make demo`'s notebook (scripts/demo.sh), as the README prints it. */
const WHOAMI_CELL = [
  'import tokentoss',
  '',
  `client = tokentoss.IAPClient(base_url="${SHOTS_SERVICE}")`,
  'client.get_json("/whoami")'
].join('\n');

/** The popup's size (src/flow/popup.ts), so the provider's page is laid out as users see it. */
const POPUP_SIZE = { width: 500, height: 650 };

/** Marks the button to click in the first still (a screenshot shows no mouse pointer). */
const CLICK_HERE =
  '.jp-tokentoss-sign-in { outline: 3px solid var(--jp-warn-color1) !important; outline-offset: 2px !important; }';

// `make demo`'s settings (scripts/demo.sh), in memory for this run.
test.use({
  mockSettings: demoSettings({
    issuer: SHOTS_ISSUER,
    scopes: 'openid email profile'
  })
});

/** Puts the pointer where it hovers nothing, so no button shows its hover colour by chance. */
async function pointerAway(page: Page): Promise<void> {
  const viewport = page.viewportSize()!;
  await page.mouse.move(viewport.width - 1, viewport.height / 2);
}

/** The tokentoss panel, its icon in the tab bar, and a strip of the main area. */
function panelClip(page: IJupyterLabPageFixture, panel: Locator) {
  return sidebarClip(page, panel, page.sidebar.getTabLocator(PANEL_ID));
}

test('the README screenshots', async ({ page, request }) => {
  // The demo provider answers at once; here it stops on a consent page, the popup's still.
  await control(request, { consent: 'wait' }, SHOTS_SERVICE);
  const panel = await openSignedOutPanel(page);
  const status = panel.locator('.jp-tokentoss-status');
  await pointerAway(page);

  await test.step('sidebar signed out, and the click', async () => {
    const clip = await panelClip(page, panel);
    await shoot(page, 'sidebar-signed-out', clip);
    await panel.locator('.jp-tokentoss-sign-in').hover();
    await shoot(page, 'sign-in-1-click', clip, CLICK_HERE);
  });

  await test.step("the provider's page in the popup", async () => {
    const popup = await clickSignIn(page, panel);
    await popup.setViewportSize(POPUP_SIZE);
    const allow = popup.getByRole('button', { name: 'Allow' });
    await expect(allow).toBeVisible();
    await shoot(
      popup,
      'sign-in-2-provider',
      await contentClip(popup, popup.locator('body'))
    );
    await allow.click();
    await popupClosed(popup);
  });

  await test.step('sidebar signed in', async () => {
    await expect(status).toHaveAttribute('data-state', 'signed-in');
    await expect(status).toContainText(EMAIL);
    await pointerAway(page);
    await shoot(page, 'sidebar-signed-in', await panelClip(page, panel));
  });

  await test.step('a notebook cell calling the protected service', async () => {
    await page.notebook.createNew('tokentoss-demo.ipynb');
    await page.notebook.setCell(0, 'code', WHOAMI_CELL);
    await page.notebook.runCell(0);
    const output = (await page.notebook.getCellOutputLocator(0))!;
    await expect(output).toContainText(`'email': '${EMAIL}'`);
    // Saved, so the tab shows no unsaved-changes dot.
    await page.notebook.save();
    await pointerAway(page);
    await shoot(page, 'notebook-whoami', await downToClip(page, output));
  });

  await test.step('the status bar item', async () => {
    const item = page.locator('.jp-tokentoss-statusbar');
    await expect(item).toContainText(EMAIL);
    await shoot(page, 'status-bar', await statusBarClip(page, item));
  });

  await test.step("the Settings Editor on tokentoss's settings", async () => {
    // The whole width for the form: the sidebar's tab bar stays, its panel closes.
    await page.sidebar.close('left');
    const form = await openTokentossSettings(page);
    await pointerAway(page);
    await shoot(page, 'settings-editor', await downToClip(page, form));
  });

  await test.step('sidebar signed in, dark theme', async () => {
    await page.theme.setDarkTheme();
    await expect(page.locator('body')).toHaveAttribute(
      'data-jp-theme-light',
      'false'
    );
    await page.sidebar.openTab(PANEL_ID);
    // The notebook beside the panel rather than the Settings Editor.
    await page.notebook.activate('tokentoss-demo.ipynb');
    await expect(status).toHaveAttribute('data-state', 'signed-in');
    await pointerAway(page);
    await shoot(page, 'sidebar-signed-in-dark', await panelClip(page, panel));
  });
});
