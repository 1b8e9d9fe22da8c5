/** Loopback ports and paths shared by playwright.config.ts and the tests. */
import { join } from 'node:path';

/**
 * Ports are fixed so that a failure names the same URLs every time; TOKENTOSS_UI_PORT_OFFSET moves
 * them all (two checkouts can then run their suites side by side).
 */
const OFFSET = Number(process.env.TOKENTOSS_UI_PORT_OFFSET ?? 0);

/** Local identity provider (demo/servers.mjs). */
export const IDP_PORT = 8711 + OFFSET;
/** IAP-like protected service and its test hooks (demo/servers.mjs). */
export const SERVICE_PORT = 8712 + OFFSET;
export const ISSUER = `http://127.0.0.1:${IDP_PORT}`;
export const SERVICE = `http://127.0.0.1:${SERVICE_PORT}`;
export const CLIENT_ID = 'tokentoss-demo';
export const CLIENT_SECRET = 'demo-secret';
export const EMAIL = 'demo@example.com';

/** The JupyterLab servers; each is a Playwright project of the same name. */
export const LABS = [
  { name: 'lab', port: 8888 + OFFSET, baseUrl: '/' },
  { name: 'hub', port: 8889 + OFFSET, baseUrl: '/user/alice/' },
  // The OAuth client lives in the server's configuration (issue 9): the browser never sees its secret.
  {
    name: 'server-client',
    port: 8890 + OFFSET,
    baseUrl: '/',
    serverClient: true
  }
];

/** The run's scratch folder (set by playwright.config.ts, inherited by the workers). */
export function runDir(): string {
  const dir = process.env.TOKENTOSS_UI_RUN_DIR;
  if (!dir) {
    throw new Error(
      'TOKENTOSS_UI_RUN_DIR is not set: run the tests through playwright.config.ts'
    );
  }
  return dir;
}

/** The token file of the JupyterLab server behind a project (TOKENTOSS_TOKEN_FILE). */
export function tokenFile(projectName: string): string {
  return join(runDir(), projectName, 'tokens', 'tokens.json');
}
