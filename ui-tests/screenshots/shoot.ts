/**
 * Taking the README's pictures: where to crop (computed from the UI, so a changed layout still
 * crops right) and one screenshot call with the settings that keep the PNGs small and stable.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { expect, Locator, Page } from '@playwright/test';

import { shotsDir } from './shots-env';

export interface IClip {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How much of the main area the sidebar pictures show, right of the sidebar. */
const MAIN_AREA_PEEK = 240;
/** Room left under the last thing a picture is about. */
const MARGIN = 24;
/** A README image should stay light to load. */
const MAX_BYTES = 150 * 1024;

/**
 * Hidden in every picture, as they would make two runs differ: CodeMirror's blinking cursor, and
 * notification toasts (they come and go on their own time, over whatever a picture shows).
 */
const STILL_STYLE = [
  '.cm-cursorLayer, .cm-dropCursor { display: none !important; }',
  '.jp-toastContainer, .Toastify__toast-container { visibility: hidden !important; }'
].join('\n');

/** A JWT's start (base64url of `{"`): no picture may show a token, even by accident. */
const TOKEN_LIKE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

/** From the top-left corner (menu bar and sidebar tabs included) to `right` and `bottom`, in the viewport. */
function fromCorner(page: Page, right: number, bottom: number): IClip {
  const viewport = page.viewportSize()!;
  return {
    x: 0,
    y: 0,
    width: Math.ceil(Math.min(viewport.width, right)),
    height: Math.ceil(Math.min(viewport.height, bottom + MARGIN))
  };
}

/**
 * The lowest bottom edge of what is drawn inside `element`: its leaf elements (text, buttons,
 * icons), not the containers that stretch to the panel's full height (0 if nothing is drawn).
 */
function contentBottom(element: Locator): Promise<number> {
  return element.evaluate(root =>
    Math.max(
      0,
      ...[...root.querySelectorAll('*')]
        .filter(node => node.children.length === 0)
        .map(node => {
          const box = node.getBoundingClientRect();
          return box.width > 0 && box.height > 0 ? box.bottom : 0;
        })
    )
  );
}

/**
 * The sidebar panel down to its last line (and at least down to `tab`, its icon in the sidebar's
 * tab bar), with a strip of the main area beside it.
 */
export async function sidebarClip(
  page: Page,
  panel: Locator,
  tab: Locator
): Promise<IClip> {
  const box = (await panel.boundingBox())!;
  const icon = (await tab.boundingBox())!;
  return fromCorner(
    page,
    box.x + box.width + MAIN_AREA_PEEK,
    Math.max(await contentBottom(panel), icon.y + icon.height)
  );
}

/** The whole width, down to the bottom of `element`. */
export async function downToClip(page: Page, element: Locator): Promise<IClip> {
  const box = (await element.boundingBox())!;
  return fromCorner(page, page.viewportSize()!.width, box.y + box.height);
}

/** `element`'s content with a margin around it (for a page that is mostly empty, like the popup's). */
export async function contentClip(
  page: Page,
  element: Locator
): Promise<IClip> {
  const viewport = page.viewportSize()!;
  return {
    x: 0,
    y: 0,
    width: viewport.width,
    height: Math.ceil(
      Math.min(viewport.height, (await contentBottom(element)) + MARGIN)
    )
  };
}

/** The status bar from its left end to `element` and a little beyond. */
export async function statusBarClip(
  page: Page,
  element: Locator
): Promise<IClip> {
  const bar = (await page.locator('#jp-main-statusbar').boundingBox())!;
  const box = (await element.boundingBox())!;
  return {
    x: 0,
    y: bar.y,
    width: Math.ceil(Math.min(bar.width, box.x + box.width + MARGIN)),
    height: Math.ceil(bar.height)
  };
}

/**
 * Writes `<name>.png` to the screenshots folder after checking that the page shows nothing that
 * looks like a token. `style` is extra CSS for this picture only (Playwright removes it afterwards).
 */
export async function shoot(
  page: Page,
  name: string,
  clip: IClip,
  style = ''
): Promise<void> {
  const visible = await page.evaluate(() => document.body.innerText);
  expect(visible, `${name}: a token is visible`).not.toMatch(TOKEN_LIKE);
  mkdirSync(shotsDir(), { recursive: true });
  const path = join(shotsDir(), `${name}.png`);
  await page.screenshot({
    path,
    clip,
    scale: 'css',
    animations: 'disabled',
    caret: 'hide',
    style: `${STILL_STYLE}\n${style}`
  });
  expect(
    statSync(path).size,
    `${path} is too large for the README`
  ).toBeLessThan(MAX_BYTES);
}
