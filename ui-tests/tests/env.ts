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

/**
 * Servers of the 0.1 quick-start spec (issue 11): JupyterLab and Jupyter Notebook 7 with no
 * client in the settings and the local provider as `TokenTossConfig.issuer`, so the client that
 * 0.1's `configure()` writes is the one sign-ins use (DESIGN's source 3).
 */
export const COMPAT_SERVERS = [
  { name: 'compat-lab', port: 8892 + OFFSET, app: 'lab' },
  { name: 'notebook7', port: 8893 + OFFSET, app: 'notebook' }
];

/**
 * The certified OpenID provider (npm oidc-provider, demo/certified-provider.mjs) and its protected
 * service, for the golden path in both exchange modes (issue 13): the browser exchanges with the
 * public client, the server with the confidential one. Each mode is a project with a lab of its own.
 */
export const CERTIFIED_PORT = 8771 + OFFSET;
export const CERTIFIED_SERVICE_PORT = 8772 + OFFSET;
export const CERTIFIED_ISSUER = `http://127.0.0.1:${CERTIFIED_PORT}`;
export const CERTIFIED_SERVICE = `http://127.0.0.1:${CERTIFIED_SERVICE_PORT}`;
export const CERTIFIED_PUBLIC_CLIENT = 'tokentoss-browser';
export const CERTIFIED_CONFIDENTIAL_CLIENT = 'tokentoss-server';
/** Any login signs in at its development login page; the login is the subject. */
export const CERTIFIED_LOGIN = 'ada@example.org';
/** The account's name, which the provider releases from userinfo only (the `profile` scope). */
export const CERTIFIED_NAME = 'Ada Lovelace';
export const CERTIFIED_LABS = [
  { name: 'certified-browser', port: 8773 + OFFSET, serverClient: false },
  { name: 'certified-server', port: 8774 + OFFSET, serverClient: true }
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
