/**
 * What the README's `make demo` promises, followed as a newcomer would (run by `scripts/demo.sh
 * --check`): open the printed URL, key icon in the sidebar, "Sign in with Google" through the real
 * popup, open tokentoss-demo.ipynb, run its cell in a real kernel, get exactly the printed output.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from '@playwright/test';

import { popupClosed } from '../tests/waits';

function fromScript(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run this through scripts/demo.sh --check`
    );
  }
  return value;
}

const URL = fromScript('TOKENTOSS_DEMO_URL');
const CELL = fromScript('TOKENTOSS_DEMO_CELL');
const EXPECTED = fromScript('TOKENTOSS_DEMO_EXPECTED');
const TOKEN_FILE = fromScript('TOKENTOSS_DEMO_TOKEN_FILE');
const SERVICE = fromScript('TOKENTOSS_DEMO_SERVICE');
/** The service URL the README shows (the demo's default port). */
const README_SERVICE = 'http://127.0.0.1:8702';
const EMAIL = 'demo@example.com';

/** The fenced blocks of the README's demo section, without the list item's indent. */
function readmeDemoBlocks(): { cell: string; output: string } {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find(s => s.startsWith('Try it'));
  const blocks = [
    ...(section ?? '').matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```$/gm)
  ].map(([, indent, lang, body]) => ({
    lang,
    body: body.replace(new RegExp(`^${indent}`, 'gm'), '').trimEnd()
  }));
  const cell = blocks.find(b => b.lang === 'python');
  const output = blocks[blocks.indexOf(cell!) + 1];
  if (!cell || !output) {
    throw new Error(
      'README.md: no python block and output block under "## Try it"'
    );
  }
  return { cell: cell.body, output: output.body };
}

test('the README shows the cell and the output that the demo prints', () => {
  const readme = readmeDemoBlocks();
  expect(readme.cell.replace(README_SERVICE, SERVICE)).toBe(CELL);
  expect(readme.output).toBe(EXPECTED);
});

test('the README demo: sign in from the sidebar, run the cell, get the printed output', async ({
  page
}) => {
  await page.goto(URL);

  // 1. Left sidebar → key icon (tokentoss) → "Sign in with Google".
  const keyIcon = page.locator(
    '.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="tokentoss-panel"]'
  );
  await expect(keyIcon, 'the key icon in the left sidebar').toBeVisible();
  await keyIcon.click();
  const panel = page.locator('#tokentoss-panel');
  const status = panel.locator('.jp-tokentoss-status');
  await expect(status, 'the panel before sign-in').toHaveText('Signed out');
  const popupOpened = page.waitForEvent('popup');
  await panel.getByRole('button', { name: 'Sign in with Google' }).click();
  const popup = await popupOpened;
  await expect(status, 'the panel after the popup').toHaveText(
    `Signed in as ${EMAIL}`
  );
  await popupClosed(popup, 'the popup closes (as the README says)');
  expect(existsSync(TOKEN_FILE), 'the token file').toBe(true);
  expect(statSync(TOKEN_FILE).mode & 0o777).toBe(0o600);

  // 2. Run the cell in tokentoss-demo.ipynb (opened from the file browser).
  await page
    .locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="filebrowser"]')
    .click();
  await page
    .locator('.jp-DirListing-item', { hasText: 'tokentoss-demo.ipynb' })
    .dblclick();
  const notebook = page.locator('.jp-NotebookPanel:visible');
  const cell = notebook.locator('.jp-CodeCell').first();
  await expect(cell, 'the code cell of tokentoss-demo.ipynb').toBeVisible();
  const lines = cell.locator('.cm-line');
  await expect(lines, 'the cell holds the printed code').toHaveText(
    CELL.split('\n')
  );
  // As a user would, run it once the kernel is up: a run sent while the session is still being
  // created can be dropped by JupyterLab.
  await expect(
    page.locator('.jp-StatusBar-Widget').getByText(/\| Idle$/),
    'the kernel is idle (status bar)'
  ).toBeVisible();
  await lines.first().click();
  await page.keyboard.press('Shift+Enter');

  const result = cell.locator('.jp-OutputArea-output');
  await expect(result, 'the cell output').toHaveText(EXPECTED);
  expect((await result.innerText()).trim(), 'exactly the printed output').toBe(
    EXPECTED
  );
});
