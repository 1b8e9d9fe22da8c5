/** Ports, users and folders shared by playwright.hub.config.ts and the hub tests. */
import { join } from 'node:path';

/**
 * Every hub test port is in 8600–8699 (TOKENTOSS_HUB_PORT_BASE moves them all): the identity provider
 * and the protected service at BASE and BASE+1; each hub uses PORT..PORT+3 and PORT+10..PORT+11
 * (see demo/jupyterhub_config.py). `make demo-hub` uses 8630–8641, between the two hubs.
 */
const BASE = Number(process.env.TOKENTOSS_HUB_PORT_BASE ?? 8600);

export const IDP_PORT = BASE;
export const SERVICE_PORT = BASE + 1;
export const ISSUER = `http://127.0.0.1:${IDP_PORT}`;
export const SERVICE = `http://127.0.0.1:${SERVICE_PORT}`;
export const CLIENT_ID = 'tokentoss-hub';
export const PASSWORD = 'tokentoss-hub-test';
export const USERS = ['alice', 'bob'] as const;
export type User = (typeof USERS)[number];
export const EMAILS: Record<User, string> = {
  alice: 'alice@example.com',
  bob: 'bob@example.com'
};

export interface IHub {
  /** Playwright project name. */
  name: string;
  /** Public port of the hub's proxy. */
  port: number;
  /** Per-user subdomains (subdomain_host) or one origin. */
  subdomains: boolean;
  /** Where a browser reaches the hub. */
  url: string;
}

export const HUBS: IHub[] = [
  {
    name: 'hub-one-origin',
    port: BASE + 10,
    subdomains: false,
    url: `http://127.0.0.1:${BASE + 10}`
  },
  {
    name: 'hub-subdomain',
    port: BASE + 60,
    subdomains: true,
    url: `http://localhost:${BASE + 60}`
  }
];

export function hubNamed(name: string): IHub {
  const hub = HUBS.find(h => h.name === name);
  if (!hub) {
    throw new Error(`no hub for project ${name}`);
  }
  return hub;
}

/** Where a user's lab lives on a hub. */
export function userOrigin(hub: IHub, user: User): string {
  return hub.subdomains
    ? `http://${user}.localhost:${hub.port}`
    : `http://127.0.0.1:${hub.port}`;
}

function fromEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run the hub tests through playwright.hub.config.ts`
    );
  }
  return value;
}

/** The run's scratch folder (set by playwright.hub.config.ts, inherited by the workers). */
export function runDir(): string {
  return fromEnv('TOKENTOSS_HUB_RUN_DIR');
}

/** The OAuth client secret of this run (random; the tests look for it in everything a browser saw). */
export function clientSecret(): string {
  return fromEnv('TOKENTOSS_HUB_CLIENT_SECRET');
}

/** A hub's scratch folder (database, logs, the users' homes). */
export function hubDir(hub: IHub): string {
  return join(runDir(), hub.name);
}

/** A user's default token file: platformdirs' user config folder under the home the hub gave them. */
export function tokenFile(hub: IHub, user: User): string {
  return join(hubDir(hub), 'home', user, '.config', 'tokentoss', 'tokens.json');
}
