/**
 * The REST client for `{baseUrl}tokentoss/` on the Jupyter server. Requests go
 * through `ServerConnection.makeRequest`, which adds Jupyter's auth and XSRF.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  IClientInfo,
  IServerStatus,
  ISignInOutcome,
  ISignedOut,
  ISignInRegistration,
  ITokenUpload
} from './tokens';

/** An error answer of the server extension; `reason` is a machine-readable code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Calls `tokentoss/<endpoint>` and returns the parsed JSON answer. */
export async function requestAPI<T>(
  endpoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, 'tokentoss', endpoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ApiError(
      `The Jupyter server could not be reached (${(error as Error).message}).`,
      0,
      'network'
    );
  }
  const text = await response.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message =
      typeof body?.message === 'string' && body.message
        ? body.message
        : `The Jupyter server answered ${response.status} ${response.statusText}.`;
    throw new ApiError(message, response.status, body?.reason ?? 'http_error');
  }
  return body as T;
}

/** `tokentoss/<endpoint>` with a verb and a JSON body (Jupyter adds the XSRF header). */
const call = <T>(endpoint: string, method = 'GET', body?: unknown) =>
  requestAPI<T>(endpoint, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body)
  });

const signIn = (state: string) => `signins/${encodeURIComponent(state)}`;

/** The typed calls of the REST contract (`docs/architecture.md`). */
export const tokenApi = {
  status: () => call<IServerStatus>('status'),
  upload: (tokens: ITokenUpload) =>
    call<IServerStatus>('tokens', 'PUT', tokens),
  refresh: () => call<IServerStatus>('refresh', 'POST'),
  signOut: () => call<ISignedOut>('tokens', 'DELETE'),
  /** The OAuth client the server holds, if any (never its secret). */
  client: () => call<IClientInfo>('client'),
  /** Registers a pending sign-in before the popup goes to the provider. */
  registerSignIn: (registration: ISignInRegistration) =>
    call<unknown>('signins', 'POST', registration),
  /** How far a registered sign-in got. */
  signInOutcome: (state: string) => call<ISignInOutcome>(signIn(state)),
  /** Forgets a pending sign-in (cancelled, failed or replaced). */
  cancelSignIn: (state: string) => call<unknown>(signIn(state), 'DELETE')
};

/** The REST client as the model sees it (an interface, so tests can use a real server). */
export type TokenApi = typeof tokenApi;
