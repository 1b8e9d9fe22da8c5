/**
 * Shared steps of the layout and accessibility specs (issue 15): the theme, the sidebar's width,
 * a real sign-in through the popup, and the geometric checks of the panel's layout.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect, Locator } from '@playwright/test';

import { clickSignIn } from './security-helpers';
import { popupClosed } from './waits';

export const THEMES = ['JupyterLab Light', 'JupyterLab Dark'] as const;
export type Theme = (typeof THEMES)[number];

/** Switches the theme with JupyterLab's own command and waits until the page carries it. */
export async function useTheme(
  page: IJupyterLabPageFixture,
  theme: Theme
): Promise<void> {
  await page.evaluate(
    theme =>
      (window as any).jupyterapp.commands.execute('apputils:change-theme', {
        theme
      }),
    theme
  );
  await expect(page.locator('body')).toHaveAttribute(
    'data-jp-theme-name',
    theme
  );
}

/**
 * Drags the handle between the left sidebar and the main area until the sidebar panel is
 * `width` pixels wide (as a user resizes it), and waits until the panel has that width.
 */
export async function setSidebarWidth(
  page: IJupyterLabPageFixture,
  panel: Locator,
  width: number
): Promise<void> {
  const box = (await panel.boundingBox())!;
  // The handle right of the left area: the first visible one of the main split panel.
  const handle = page
    .locator('#jp-main-split-panel > .lm-SplitPanel-handle')
    .filter({ visible: true })
    .first();
  const grip = (await handle.boundingBox())!;
  const y = grip.y + grip.height / 2;
  await page.mouse.move(grip.x + grip.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width + grip.width / 2, y, { steps: 5 });
  await page.mouse.up();
  await expect
    .poll(async () => Math.round((await panel.boundingBox())!.width), {
      message: `the sidebar panel is ${width}px wide`
    })
    .toBeGreaterThanOrEqual(width - 2);
  expect(Math.round((await panel.boundingBox())!.width)).toBeLessThanOrEqual(
    width + 2
  );
}

/** Signs in from the open, signed-out panel through the demo provider's popup. */
export async function signInFromPanel(
  page: IJupyterLabPageFixture,
  panel: Locator
): Promise<void> {
  const popup = await clickSignIn(page, panel);
  await popupClosed(popup);
  await expect(panel.locator('.jp-tokentoss-status')).toHaveAttribute(
    'data-state',
    'signed-in'
  );
}

/** What `layoutProblems` found, one sentence each (empty: the layout is right). */
export type LayoutProblems = string[];

/**
 * The geometric rules of the panel's layout, checked in the page on the element `root`:
 *
 * 1. Nothing overflows sideways (`scrollWidth > clientWidth`), except the code block, which is
 *    meant to scroll, and one-line values (`.jp-tokentoss-value`) cut with an ellipsis, which
 *    must then carry the whole value in their title (the shown text, or the long form of it).
 * 2. No word is broken across lines: every whitespace-separated word of every text node (URLs,
 *    emails, identifiers, scopes, `-m`, `sign-in`) has its client rects on one line.
 * 3. The code block keeps one line per source line (no wrapped identifier).
 * 4. Buttons of an action row: each on one line, inside the row; each row filled edge to edge
 *    with the same gap between buttons; and a button alone on a row is there because it would
 *    not fit at its natural width beside the row above (or it is the primary, full-width action).
 */
export async function layoutProblems(root: Locator): Promise<LayoutProblems> {
  return root.evaluate((root: HTMLElement) => {
    const problems: string[] = [];
    const describe = (el: Element) =>
      `<${el.tagName.toLowerCase()} class="${el.className}">` +
      ` "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const visible = (el: HTMLElement) => el.getClientRects().length > 0;
    const lineCount = (range: Range) =>
      new Set(
        [...range.getClientRects()]
          .filter(rect => rect.width > 0)
          .map(rect => Math.round(rect.top + rect.height / 2))
      ).size;

    // 1. Overflow.
    for (const el of [root, ...root.querySelectorAll<HTMLElement>('*')]) {
      if (!(el instanceof HTMLElement) || !visible(el)) {
        continue;
      }
      if (el.scrollWidth <= el.clientWidth) {
        continue;
      }
      if (el.classList.contains('jp-tokentoss-snippet')) {
        continue; // designed to scroll sideways
      }
      if (el.classList.contains('jp-tokentoss-value')) {
        if (!el.title.includes(el.textContent ?? '')) {
          problems.push(
            `${describe(el)} is cut without its whole value in the title`
          );
        }
        continue;
      }
      problems.push(
        `${describe(el)} overflows: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`
      );
    }

    // 2. Words broken across lines.
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement!;
      if (!visible(parent)) {
        continue;
      }
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index!);
        range.setEnd(node, match.index! + match[0].length);
        if (lineCount(range) > 1) {
          problems.push(`"${match[0]}" is broken across lines`);
        }
      }
    }

    // 3. The code block.
    for (const code of root.querySelectorAll<HTMLElement>(
      '.jp-tokentoss-snippet'
    )) {
      if (!visible(code)) {
        continue;
      }
      const range = document.createRange();
      range.selectNodeContents(code);
      const lines = (code.textContent ?? '').split('\n').length;
      if (lineCount(range) !== lines) {
        problems.push(
          `the code block shows ${lineCount(range)} lines for its ${lines}`
        );
      }
    }

    // 4. Action rows.
    for (const bar of root.querySelectorAll<HTMLElement>(
      '.jp-tokentoss-actions'
    )) {
      const buttons = [...bar.querySelectorAll<HTMLElement>(':scope > button')];
      const gap = parseFloat(getComputedStyle(bar).columnGap) || 0;
      const inner = bar.getBoundingClientRect();
      // Natural widths: each button as wide as its label wants, out of the flex row.
      const natural = new Map<HTMLElement, number>();
      for (const button of buttons) {
        const { flex, width } = button.style;
        button.style.flex = 'none';
        button.style.width = 'max-content';
        natural.set(button, button.getBoundingClientRect().width);
        button.style.flex = flex;
        button.style.width = width;
      }
      const rows: HTMLElement[][] = [];
      for (const button of buttons) {
        const top = Math.round(button.getBoundingClientRect().top);
        const row = rows.find(
          r => Math.round(r[0].getBoundingClientRect().top) === top
        );
        if (row) {
          row.push(button);
        } else {
          rows.push([button]);
        }
      }
      rows.forEach((row, index) => {
        const boxes = row.map(button => button.getBoundingClientRect());
        for (const [i, button] of row.entries()) {
          const range = document.createRange();
          range.selectNodeContents(button);
          if (lineCount(range) > 1 || button.scrollWidth > button.clientWidth) {
            problems.push(
              `${describe(button)} does not show its label on one line`
            );
          }
          if (
            boxes[i].left < inner.left - 1 ||
            boxes[i].right > inner.right + 1
          ) {
            problems.push(`${describe(button)} sticks out of its row`);
          }
        }
        if (
          Math.abs(boxes[0].left - inner.left) > 1 ||
          Math.abs(boxes[boxes.length - 1].right - inner.right) > 1
        ) {
          problems.push(
            `row ${index + 1} of the buttons is not filled edge to edge`
          );
        }
        for (let i = 1; i < boxes.length; i++) {
          if (Math.abs(boxes[i].left - boxes[i - 1].right - gap) > 1) {
            problems.push(
              `row ${index + 1}: uneven gap before ${describe(row[i])}`
            );
          }
        }
        if (index > 0 && row.length === 1) {
          const alone = row[0];
          const above = rows[index - 1];
          const needed =
            above.reduce((sum, b) => sum + natural.get(b)!, 0) +
            gap * above.length +
            natural.get(alone)!;
          const primary = above.some(b =>
            b.classList.contains('jp-mod-accept')
          );
          if (needed <= inner.width && !(above.length === 1 && primary)) {
            problems.push(
              `${describe(alone)} is alone on row ${index + 1} although it fits beside the row above`
            );
          }
        }
      });
    }
    return problems;
  });
}
