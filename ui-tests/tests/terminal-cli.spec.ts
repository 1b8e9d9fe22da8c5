/**
 * The panel's terminal hint works in JupyterLab's own terminal (issue 15), even when that
 * terminal's PATH knows neither the server's Python environment nor the `tokentoss` script: the
 * command names the server's interpreter. Signed in from the sidebar first.
 *
 * The token is checked by shape only and never leaves the page: the terminal's output is read in
 * the page, and only a yes/no (or a transcript with JWT-shaped words replaced) comes back. Traces
 * and screenshots are off here, as they would record the terminal's screen.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';

import { EMAIL } from './env';
import { expect, test } from './fixtures';
import {
  clickSignIn,
  demoSettings,
  labOnlyWithCleanState,
  openSignedOutPanel
} from './security-helpers';
import { popupClosed } from './waits';

/** A terminal whose PATH has only the system's folders: no venv, no `tokentoss` script. */
const FOREIGN_PATH = 'export PATH=/usr/bin:/bin';

labOnlyWithCleanState();
test.use({
  mockSettings: demoSettings(),
  trace: 'off',
  screenshot: 'off'
});

/**
 * Opens a terminal and starts collecting its output in the page (the terminal session's stdout
 * messages: what xterm draws, before it wraps long lines). Returns the terminal's session name.
 */
async function openTerminal(page: IJupyterLabPageFixture): Promise<string> {
  return page.evaluate(async () => {
    const app = (window as any).jupyterapp;
    const widget = await app.commands.execute('terminal:create-new');
    await widget.content.ready;
    const session = widget.content.session;
    const seen = { text: '' };
    (window as any).tokentossTerminalOutput = seen;
    session.messageReceived.connect((_: unknown, message: any) => {
      if (message.type === 'stdout') {
        seen.text += message.content[0];
      }
    });
    return session.name as string;
  });
}

/**
 * Whether the terminal printed a line that is only a JWT (three base64url parts), and the
 * transcript with every JWT-shaped word replaced, for a failure's message.
 */
async function terminalSaw(
  page: IJupyterLabPageFixture
): Promise<{ jwtLine: boolean; redacted: string }> {
  return page.evaluate(() => {
    const text: string = (window as any).tokentossTerminalOutput.text;
    // header.payload.signature, base64url; a JSON header always starts with eyJ ('{"').
    const part = '[A-Za-z0-9_-]{10,}';
    const jwt = `eyJ${part}\\.${part}\\.${part}`;
    const wholeLine = new RegExp(`^${jwt}$`);
    // A printed line as the user sees it: without the shell's escape sequences (they start with
    // the ESC control character) and carriage returns.
    // eslint-disable-next-line no-control-regex
    const escapes = /\x1b\[[0-9;?]*[A-Za-z]|\r/g;
    const lines = text
      .split('\n')
      .map(line => line.replace(escapes, '').trim());
    return {
      jwtLine: lines.some(line => wholeLine.test(line)),
      redacted: text.replace(new RegExp(jwt, 'g'), '<JWT-shaped>')
    };
  });
}

test("the panel's terminal command prints the ID token in a JupyterLab terminal", async ({
  page,
  baseURL
}) => {
  const panel = await openSignedOutPanel(page);
  await popupClosed(await clickSignIn(page, panel));
  await expect(panel.locator('.jp-tokentoss-status')).toHaveText(
    `Signed in as ${EMAIL}`
  );
  const command = (await panel.locator('.jp-tokentoss-cli').textContent())!;
  expect(command).toMatch(/ -m tokentoss print-identity-token$/);

  const name = await openTerminal(page);
  const terminal = page.locator('.jp-Terminal').last();
  await expect(terminal).toBeVisible();
  await terminal.click();
  await page.keyboard.type(`${FOREIGN_PATH}\n`);
  await page.keyboard.type(`${command}\n`);
  try {
    await expect
      .poll(async () => (await terminalSaw(page)).jwtLine, {
        message: 'the terminal prints a JWT-shaped line'
      })
      .toBe(true);
  } catch {
    const { redacted } = await terminalSaw(page);
    throw new Error(`no JWT-shaped line; the terminal said:\n${redacted}`);
  }

  const closed = await page.request.delete(`${baseURL}/api/terminals/${name}`);
  expect(closed.ok()).toBe(true);
});
