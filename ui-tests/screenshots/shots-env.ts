/** Ports and folders of the screenshot run (playwright.screenshots.config.ts). */
import { join } from 'node:path';

const OFFSET = Number(process.env.TOKENTOSS_UI_PORT_OFFSET ?? 0);

/** `make demo`'s default ports, so the pictures show the URLs the README's walk-through prints. */
export const SHOTS_LAB_PORT = 8899 + OFFSET;
export const SHOTS_IDP_PORT = 8701 + OFFSET;
export const SHOTS_SERVICE_PORT = 8702 + OFFSET;
export const SHOTS_ISSUER = `http://127.0.0.1:${SHOTS_IDP_PORT}`;
export const SHOTS_SERVICE = `http://127.0.0.1:${SHOTS_SERVICE_PORT}`;

/** Where the PNGs go: TOKENTOSS_SCREENSHOTS_DIR (a scratch folder for the smoke), else docs/images. */
export function shotsDir(): string {
  return (
    process.env.TOKENTOSS_SCREENSHOTS_DIR ??
    join(__dirname, '..', '..', 'docs', 'images')
  );
}
