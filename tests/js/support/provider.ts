/**
 * Starts the real local OpenID provider and protected service (demo/servers.mjs)
 * as a child process for a test file, and talks to its test hooks.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import type { IPendingAuthorization } from '../../../src/flow/oauth';
import type { IFlowConfig } from '../../../src/tokens';

/** The redirect URI the flow tests register (nothing listens there). */
export const REDIRECT_URI = 'http://127.0.0.1:8888/tokentoss/callback';

/** The settings of a sign-in with `provider`'s client; `overrides` replace fields. */
export function flowConfig(
  provider: IProvider,
  overrides: Partial<IFlowConfig> = {}
): IFlowConfig {
  return {
    issuer: new URL(provider.issuer),
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    scopes: ['openid', 'email', 'profile'],
    hostedDomain: null,
    loginHint: null,
    redirectUri: REDIRECT_URI,
    ...overrides
  };
}

/** Plays the user's browser: visits the authorization URL, returns where it is sent back to. */
export async function authorize(pending: IPendingAuthorization): Promise<URL> {
  const response = await fetch(pending.authorizationUrl, {
    redirect: 'manual'
  });
  if (response.status < 300 || response.status >= 400) {
    throw new Error(`the provider answered ${response.status}, not a redirect`);
  }
  return new URL(response.headers.get('location')!);
}

export interface IProvider {
  issuer: string;
  service: string;
  clientId: string;
  clientSecret: string;
  control(settings: Record<string, unknown>): Promise<void>;
  reset(): Promise<void>;
  stats(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startProvider(): Promise<IProvider> {
  const script = join(__dirname, '..', '..', '..', 'demo', 'servers.mjs');
  const child: ChildProcess = spawn(process.execPath, [script], {
    stdio: ['ignore', 'pipe', 'inherit']
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', code =>
      reject(new Error(`demo/servers.mjs exited with ${code}`))
    );
  });
  const ready = JSON.parse(line);
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${ready.service}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    });
    if (!response.ok) {
      throw new Error(`${path} answered ${response.status}`);
    }
  };
  return {
    issuer: ready.issuer,
    service: ready.service,
    clientId: ready.client_id,
    clientSecret: ready.client_secret,
    control: settings => post('/__control', settings),
    reset: () => post('/__reset', {}),
    stats: async () => (await fetch(`${ready.service}/__stats`)).json(),
    stop: () =>
      new Promise<void>(resolve => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      })
  };
}
