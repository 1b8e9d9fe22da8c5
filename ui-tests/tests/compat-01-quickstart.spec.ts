/**
 * tokentoss 0.1's README quick start, cell by cell, with only its placeholders replaced (the local
 * provider's client for YOUR_CLIENT_ID / YOUR_SECRET, the protected service for the example URL),
 * in JupyterLab (project compat-lab) and Jupyter Notebook 7 (project notebook7): the client form
 * and configure(), the sign-in card's button (real popup, real provider, server-side exchange with
 * the user's own client file), the sidebar showing the same sign-in, IAPClient(...).get_json(...),
 * and the saved notebook holding no secret and no token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, Locator, Page, test } from '@playwright/test';

import { CLIENT_ID, CLIENT_SECRET, EMAIL, SERVICE, runDir } from './env';
import { popupClosed } from './waits';

/** The README's cells; `print(...)` cells only show what the quick start's variables hold. */
const README_CELLS = [
  ['from tokentoss import ConfigureWidget', '', 'display(ConfigureWidget())'],
  [
    'import tokentoss',
    '',
    `tokentoss.configure(client_id="${CLIENT_ID}", client_secret="${CLIENT_SECRET}")`
  ],
  [
    'from tokentoss import GoogleAuthWidget',
    '',
    '# Widget auto-discovers credentials from the standard config location',
    'widget = GoogleAuthWidget()',
    'display(widget)',
    '',
    '# Click "Sign in with Google" and complete the flow',
    '# Widget shows "Signed in as user@example.com"'
  ],
  [
    'from tokentoss import IAPClient',
    '',
    '# Create client (auto-discovers credentials)',
    `client = IAPClient(base_url="${SERVICE}")`,
    '',
    '# Make requests - ID token added automatically',
    'data = client.get_json("/api/data")',
    'response = client.post("/api/items", json={"name": "test"})'
  ],
  ['print(data["email"], response.status_code, response.json()["json"])']
].map(lines => lines.join('\n'));

function notebookJson(): string {
  return JSON.stringify({
    cells: README_CELLS.map(source => ({
      cell_type: 'code',
      source,
      metadata: {},
      outputs: [],
      execution_count: null
    })),
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3',
        language: 'python'
      }
    },
    nbformat: 4,
    nbformat_minor: 5
  });
}

function isNotebook7(projectName: string): boolean {
  return projectName === 'notebook7';
}

/** Runs the cell `index` (0-based) with Shift+Enter and waits until its run has finished. */
async function runCell(page: Page, index: number): Promise<Locator> {
  const cell = page.locator('.jp-Notebook .jp-Cell').nth(index);
  await cell.locator('.jp-InputArea-editor .cm-content').click();
  await page.keyboard.press('Shift+Enter');
  // The prompt shows a number (not "*" or blank) once the kernel has answered.
  await expect(cell.locator('.jp-InputArea-prompt')).toHaveText(/\[\d+\]/, {
    timeout: 60_000
  });
  return cell;
}

test('0.1 README quick start: configure, sign in from the cell, call the service', async ({
  page,
  baseURL
}, testInfo) => {
  const name = `quickstart-${testInfo.project.name}.ipynb`;
  const created = await page.request.put(`${baseURL}/api/contents/${name}`, {
    data: {
      type: 'notebook',
      format: 'json',
      content: JSON.parse(notebookJson())
    }
  });
  expect(created.ok()).toBeTruthy();

  const notebook7 = isNotebook7(testInfo.project.name);
  await page.goto(`${baseURL}/${notebook7 ? 'notebooks' : 'lab/tree'}/${name}`);
  // Cells run once the notebook's kernel is up: its session answers with an idle kernel.
  await expect
    .poll(
      async () => {
        const answer = await page.request.get(`${baseURL}/api/sessions`);
        const sessions = (await answer.json()) as {
          path: string;
          kernel: { execution_state: string };
        }[];
        return sessions.find(session => session.path === name)?.kernel
          .execution_state;
      },
      { timeout: 60_000, message: 'the notebook kernel should be idle' }
    )
    .toBe('idle');
  await expect(
    page.locator('.jp-Notebook .jp-Cell .cm-content').first()
  ).toBeVisible();

  // 1. The client form: typed in the page, sent to the server, never into the notebook.
  const formCell = await runCell(page, 0);
  const form = formCell.locator('.jp-tokentoss-configure-card form');
  await expect(form).toBeVisible();
  // The card's styles came with its lazy chunk (style/panel.raw.css), also in Notebook 7.
  await expect(form).toHaveCSS('display', 'flex');
  await form.getByLabel('Client ID').fill(CLIENT_ID);
  await form.getByLabel('Client secret').fill(CLIENT_SECRET);
  await form.getByRole('button', { name: 'Save client' }).click();
  await expect(form.locator('.jp-tokentoss-status')).toContainText(
    `Saved client ${CLIENT_ID}`
  );
  await expect(form.getByLabel('Client secret')).toHaveValue('');

  // 2. configure() in code, as the README's alternative.
  await runCell(page, 1);

  // 3. The sign-in card: the button opens the real popup; the provider answers at once.
  const cardCell = await runCell(page, 2);
  const card = cardCell.locator('.jp-tokentoss-signin-card');
  await expect(card.locator('.jp-tokentoss-status')).toHaveText('Signed out');
  const popupOpened = page.waitForEvent('popup');
  await card.getByRole('button', { name: 'Sign in with Google' }).click();
  const popup = await popupOpened;
  // Polled: the provider answers at once, so the popup may close before a listener would start.
  await popupClosed(popup);
  await expect(card.locator('.jp-tokentoss-status')).toHaveText(
    `Signed in as ${EMAIL}`
  );
  await expect(card.locator('.jp-tokentoss-issuer')).not.toBeEmpty();

  // The sidebar follows the same session (one model).
  await page.evaluate(() =>
    (window as any).jupyterapp.commands.execute('tokentoss:open-panel')
  );
  await expect(
    page.locator('#tokentoss-panel .jp-tokentoss-status')
  ).toHaveText(`Signed in as ${EMAIL}`);

  // 4. IAPClient from the kernel, with the ID token of that sign-in.
  await runCell(page, 3);
  const printed = await runCell(page, 4);
  await expect(printed.locator('.jp-OutputArea-output')).toContainText(
    `${EMAIL} 200 {'name': 'test'}`
  );

  // 5. Saved, the notebook holds the cards' placeholders only: no secret typed in the form,
  // no token value.
  await page.keyboard.press('Control+s');
  await expect
    .poll(async () => {
      const saved = await page.request.get(`${baseURL}/api/contents/${name}`);
      const body = (await saved.json()) as {
        content?: { cells?: { outputs: unknown[] }[] };
      };
      return body.content?.cells?.[4]?.outputs.length ?? 0; // 0 while saving
    })
    .toBeGreaterThan(0);
  const saved = await (
    await page.request.get(`${baseURL}/api/contents/${name}`)
  ).text();
  const tokens = JSON.parse(
    readFileSync(
      join(runDir(), testInfo.project.name, 'tokens', 'tokens.json'),
      'utf-8'
    )
  ) as Record<string, string>;
  for (const value of [
    tokens.id_token,
    tokens.access_token,
    tokens.refresh_token
  ]) {
    expect(saved).not.toContain(value);
  }
  // The secret appears once: in the README's own configure() cell source, as 0.1's README has it.
  expect(saved.split(CLIENT_SECRET).length - 1).toBe(1);
  expect(saved).toContain('application/vnd.tokentoss.signin+json');
});
