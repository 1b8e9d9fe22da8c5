/**
 * An in-memory stand-in for the server's REST API that keeps its contract
 * (docs/architecture.md), and the statuses it answers with. The real server is
 * exercised by pytest and the Galata tests.
 */
import { ApiError, TokenApi } from '../../../src/api';
import { ISessionModelOptions, SessionModel } from '../../../src/model';
import { IClientInfo, IServerStatus } from '../../../src/tokens';

/** `GET client` when the server holds no OAuth client. */
export const NO_CLIENT: IClientInfo = {
  source: null,
  managed_fields: [],
  origin: null,
  client_id: null,
  issuer: null,
  scopes: null,
  hosted_domain: null,
  redirect_uri: null,
  has_secret: false
};

export const signedOut: IServerStatus = {
  signed_in: false,
  email: null,
  expires_at: null,
  scopes: [],
  issuer: null,
  client_id: null
};

export function signedIn(expiresInSeconds: number): IServerStatus {
  return {
    signed_in: true,
    email: 'demo@example.com',
    expires_at: new Date(Date.now() + expiresInSeconds * 1000).toISOString(),
    scopes: ['openid', 'email'],
    issuer: 'https://accounts.google.com',
    client_id: 'id'
  };
}

export class ServerStandIn {
  status: IServerStatus = signedOut;
  calls: string[] = [];
  refreshError: ApiError | null = null;
  api: TokenApi = {
    status: async () => {
      this.calls.push('status');
      return this.status;
    },
    upload: async () => {
      this.calls.push('upload');
      return this.status;
    },
    refresh: async () => {
      this.calls.push('refresh');
      if (this.refreshError) {
        throw this.refreshError;
      }
      return this.status;
    },
    signOut: async () => {
      this.calls.push('signOut');
      this.status = signedOut;
      return { ...signedOut, revoked: true, revocation: 'grant' as const };
    },
    client: async () => {
      this.calls.push('client');
      return this.client;
    },
    registerSignIn: async registration => {
      this.calls.push(`register:${registration.state}`);
      return { state: registration.state };
    },
    signInOutcome: async state => {
      this.calls.push(`outcome:${state}`);
      return {
        state,
        mode: 'browser',
        status: 'waiting',
        reason: null,
        message: null,
        callback: null
      };
    },
    cancelSignIn: async state => {
      this.calls.push(`cancel:${state}`);
      return null;
    }
  };
  client: IClientInfo = NO_CLIENT;
}

/** A session model on `api`, as the lab at http://127.0.0.1:8888/ builds it (secure context, no server client). */
export function sessionOn(
  api: TokenApi,
  options: Partial<ISessionModelOptions> = {}
): SessionModel {
  return new SessionModel({
    api,
    baseUrl: 'http://127.0.0.1:8888/',
    origin: 'http://127.0.0.1:8888',
    client: null,
    secureContext: true,
    ...options
  });
}
