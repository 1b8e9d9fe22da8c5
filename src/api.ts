/**
 * The REST client for `{baseUrl}tokentoss/` on the Jupyter server. Requests go
 * through `ServerConnection.makeRequest`, which adds Jupyter's auth and XSRF.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { IServerStatus, ITokenUpload } from './tokens';

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

/** The typed calls of the REST contract (`docs/architecture.md`). */
export const tokenApi = {
  status: (): Promise<IServerStatus> => requestAPI<IServerStatus>('status'),
  upload: (tokens: ITokenUpload): Promise<IServerStatus> =>
    requestAPI<IServerStatus>('tokens', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(tokens)
    }),
  refresh: (): Promise<IServerStatus> =>
    requestAPI<IServerStatus>('refresh', { method: 'POST' }),
  signOut: (): Promise<IServerStatus & { revoked: boolean }> =>
    requestAPI('tokens', { method: 'DELETE' })
};

/** The REST client as the model sees it (an interface, so tests can use a real server). */
export type TokenApi = typeof tokenApi;
