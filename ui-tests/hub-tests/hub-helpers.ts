/** Browser steps on the hub: log a user in, open the tokentoss panel, run a cell, record traffic. */
import {
  Browser,
  BrowserContext,
  Locator,
  Page,
  expect
} from '@playwright/test';

import { IHub, PASSWORD, User, userOrigin } from './hub-env';

const PANEL_ID = 'tokentoss-panel';

export interface IUserSession {
  user: User;
  context: BrowserContext;
  page: Page;
}

/**
 * A browser context of the user's own (its own cookies: another person at another computer), logged
 * in through the hub's login form and waiting until the spawned server shows JupyterLab.
 */
export async function logIn(
  browser: Browser,
  hub: IHub,
  user: User
): Promise<IUserSession> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hub.url}/hub/login`);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('[type="submit"]').click();
  // The hub spawns the server (the spawn-pending page waits for it), then sends us to /user/<name>/lab.
  const lab = `${userOrigin(hub, user)}/user/${user}/lab`;
  await page.waitForURL(url => url.href.startsWith(lab), { timeout: 300_000 });
  await page.waitForFunction(
    () => (window as any).jupyterapp?.shell?.isAttached === true,
    undefined,
    { timeout: 180_000 }
  );
  return { user, context, page };
}

/** Open the tokentoss sidebar panel; returns it. */
export async function openPanel(page: Page): Promise<Locator> {
  const tab = page.locator(`.jp-SideBar .lm-TabBar-tab[data-id="${PANEL_ID}"]`);
  await expect(tab).toBeVisible();
  const panel = page.locator(`#${PANEL_ID}`);
  if (!(await panel.isVisible())) {
    await tab.click();
  }
  await expect(panel).toBeVisible();
  return panel;
}

/**
 * Create a notebook in the user's lab, run one code cell in its own kernel and return the cell's
 * text output (also checked on screen by the callers).
 */
export async function runCell(page: Page, code: string): Promise<string> {
  return page.evaluate(async source => {
    const app = (window as any).jupyterapp;
    const panel = await app.commands.execute('notebook:create-new', {
      kernelName: 'python3'
    });
    await panel.context.ready;
    await panel.sessionContext.ready;
    const notebook = panel.content;
    notebook.activeCellIndex = 0;
    notebook.activeCell.model.sharedModel.setSource(source);
    await app.commands.execute('notebook:run-cell');
    const outputs = notebook.widgets[0].model.outputs.toJSON() as any[];
    return outputs
      .map(o =>
        o.output_type === 'stream'
          ? [o.text].flat().join('')
          : o.output_type === 'error'
            ? `${o.ename}: ${o.evalue}`
            : JSON.stringify(o.data ?? {})
      )
      .join('');
  }, code);
}

/**
 * Records every request and response a browser context sees (popups included): URL, headers, bodies,
 * and WebSocket frames. `texts()` waits for the bodies still being read.
 */
export class TrafficRecorder {
  private readonly pending: Promise<void>[] = [];
  private readonly seen: string[] = [];

  constructor(context: BrowserContext) {
    context.on('request', request => {
      this.keep(
        (async () => {
          const headers = await request.allHeaders();
          this.seen.push(
            `${request.method()} ${request.url()}\n${JSON.stringify(headers)}\n${request.postData() ?? ''}`
          );
        })()
      );
    });
    context.on('response', response => {
      this.keep(
        (async () => {
          const headers = await response.allHeaders();
          // Redirects and aborted loads have no body to read.
          const body = await response.text().catch(() => '');
          this.seen.push(
            `${response.status()} ${response.url()}\n${JSON.stringify(headers)}\n${body}`
          );
        })()
      );
    });
    const watchPage = (page: Page) =>
      page.on('websocket', socket => {
        socket.on('framesent', f => this.seen.push(String(f.payload)));
        socket.on('framereceived', f => this.seen.push(String(f.payload)));
      });
    context.pages().forEach(watchPage);
    context.on('page', watchPage);
  }

  private keep(work: Promise<void>): void {
    this.pending.push(work.catch(() => undefined));
  }

  /** Everything recorded so far, once every body being read has arrived. */
  async texts(): Promise<string[]> {
    await Promise.all(this.pending);
    return this.seen;
  }
}
