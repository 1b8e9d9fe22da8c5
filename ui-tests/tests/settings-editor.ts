/** JupyterLab's Settings Editor, opened on tokentoss's settings (golden path, README screenshots). */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, Locator } from '@playwright/test';

/** Opens the Settings Editor from the menu, shows tokentoss's settings and returns their form. */
export async function openTokentossSettings(
  page: IJupyterLabPageFixture
): Promise<Locator> {
  await page.menu.clickMenuItem('Settings>Settings Editor');
  const editor = page.getByRole('tabpanel', { name: 'Settings' });
  await editor
    .locator('input[placeholder="Search settings…"]')
    .fill('tokentoss');
  await editor.getByRole('tab', { name: 'tokentoss' }).click();
  const form = editor.getByRole('group', { name: 'tokentoss' });
  await expect(form).toBeVisible();
  return form;
}
