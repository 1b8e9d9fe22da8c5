/**
 * The sidebar panel's layout (issue 15), checked by geometry, not pixels: at a narrow and a wide
 * sidebar, in the light and the dark theme, signed out and signed in, nothing overflows except the
 * code block, no URL, email, identifier or scope breaks across lines (long values are cut with an
 * ellipsis and carry the whole value in their title), and the buttons fill their rows without a
 * button orphaned on a row of its own. The rules are spelled out in `layoutProblems`.
 */
import { EMAIL } from './env';
import { expect, test } from './fixtures';
import {
  layoutProblems,
  setSidebarWidth,
  signInFromPanel,
  THEMES,
  useTheme
} from './layout-helpers';
import {
  demoSettings,
  labOnlyWithCleanState,
  openSignedOutPanel
} from './security-helpers';

/** The sidebar widths checked: the narrowest JupyterLab allows (its min-width), and a wide one. */
const WIDTHS = { narrow: 250, wide: 560 };

test.use({
  mockSettings: demoSettings(),
  viewport: { width: 1366, height: 800 }
});

labOnlyWithCleanState();

for (const theme of THEMES) {
  test(`the panel's layout holds at a narrow and a wide sidebar, signed out and in (${theme})`, async ({
    page
  }) => {
    await useTheme(page, theme);
    const panel = await openSignedOutPanel(page);

    const check = async (what: string) => {
      for (const [name, width] of Object.entries(WIDTHS)) {
        await setSidebarWidth(page, panel, width);
        expect(
          await layoutProblems(panel),
          `${what}, ${name} sidebar (${width}px), ${theme}`
        ).toEqual([]);
      }
    };

    await check('signed out');

    await signInFromPanel(page, panel);
    await expect(panel.locator('.jp-tokentoss-status')).toHaveText(
      `Signed in as ${EMAIL}`
    );
    // The code block and the hint are checked too: open the notebook usage.
    await panel.locator('.jp-tokentoss-usage summary').click();
    await expect(panel.locator('.jp-tokentoss-snippet').first()).toBeVisible();
    await check('signed in');

    // The provider URL is cut at the narrow width, whole in its title, and copyable.
    const issuer = panel.locator('.jp-tokentoss-issuer .jp-tokentoss-value');
    await expect(issuer).toHaveAttribute('title', /^http:\/\/127\.0\.0\.1:\d+/);
    await expect(
      panel.getByRole('button', { name: 'Copy provider URL' })
    ).toBeVisible();
  });
}
