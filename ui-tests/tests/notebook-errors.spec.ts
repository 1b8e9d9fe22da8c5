/**
 * A cell run before sign-in (issue 15): the output area shows what to do in a few lines, not a
 * traceback through tokentoss's frames, and the hint it gives (`%tb Plain`) brings the full
 * traceback back when debugging. Real JupyterLab, real kernel, no token file.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';

import { expect, test } from './fixtures';
import { labOnlyWithCleanState } from './security-helpers';

/** A frame of tokentoss's own code, as IPython names it (`.../tokentoss/api.py`). */
const TOKENTOSS_FRAME = /tokentoss[/\\]\w+\.py/;

labOnlyWithCleanState();

/** The non-empty lines an output area shows, as the user reads them. */
async function outputLines(
  page: IJupyterLabPageFixture,
  cell: number
): Promise<string[]> {
  const output = await page.notebook.getCellOutputLocator(cell);
  await expect(output!).toBeVisible();
  const text = await output!.innerText();
  return text.split('\n').filter(line => line.trim() !== '');
}

test('a cell run before sign-in says what to do in a few lines', async ({
  page
}, testInfo) => {
  await page.notebook.createNew(`errors-${testInfo.project.name}.ipynb`);
  await page.notebook.setCell(
    0,
    'code',
    'import tokentoss\ntokentoss.get_id_token()'
  );
  await page.notebook.runCell(0);
  const lines = await outputLines(page, 0);
  expect(lines.length).toBeLessThanOrEqual(4);
  expect(lines[0]).toBe(
    "NoCredentialsError: Not signed in: click 'Sign in with Google' in the JupyterLab sidebar"
  );
  expect(lines.join('\n')).toContain('%tb Plain');
  expect(lines.filter(line => TOKENTOSS_FRAME.test(line))).toEqual([]);

  // The hint works: the full traceback, through tokentoss's frames, on demand.
  // Running cell 0 may already have added an empty cell 1 below it.
  if ((await page.notebook.getCellCount()) > 1) {
    await page.notebook.setCell(1, 'code', '%tb Plain');
  } else {
    await page.notebook.addCell('code', '%tb Plain');
  }
  await page.notebook.runCell(1);
  const full = await outputLines(page, 1);
  expect(full.some(line => TOKENTOSS_FRAME.test(line))).toBe(true);
  expect(full[full.length - 1]).toContain('NoCredentialsError: Not signed in');
});
