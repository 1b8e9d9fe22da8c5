/**
 * @jest-environment jsdom
 *
 * The `ITokenToss` service other extensions get: snapshots of the session that
 * carry what the panel shows and nothing else (no token value, ever), and the
 * model's signal passed on. The Galata spec public-token.spec.ts loads a real
 * consumer extension against a real server.
 */
import { tokenApi, ApiError } from '../../src/api';
import { SignInError } from '../../src/flow/errors';
import { SessionModel } from '../../src/model';
import { ITokenTossSession } from '../../src/publicApi';
import {
  publicError,
  publicService,
  publicSession
} from '../../src/publicService';
import { IServerStatus } from '../../src/tokens';

const SESSION_KEYS = [
  'canRefresh',
  'email',
  'error',
  'expiresAt',
  'issuer',
  'mode',
  'scopes',
  'signedIn',
  'status'
];

const signedIn: IServerStatus = {
  signed_in: true,
  email: 'demo@example.com',
  expires_at: '2026-11-30T08:00:00+00:00',
  scopes: ['openid', 'email'],
  issuer: 'https://accounts.google.com',
  client_id: 'client-id',
  can_refresh: false
};

describe('publicSession', () => {
  it('shows a sign-in as the panel does', () => {
    expect(
      publicSession({ kind: 'signed-in', status: signedIn }, 'browser')
    ).toEqual({
      status: 'signed-in',
      signedIn: true,
      email: 'demo@example.com',
      expiresAt: '2026-11-30T08:00:00+00:00',
      issuer: 'https://accounts.google.com',
      scopes: ['openid', 'email'],
      canRefresh: false,
      mode: 'browser',
      error: null
    });
  });

  it('passes on only the documented fields, whatever the server status carries', () => {
    // A server (or a later change) that put a token into the status must not leak it here.
    const leaky = {
      ...signedIn,
      id_token: 'eyJ.secret.value',
      access_token: 'ya29.secret',
      refresh_token: '1//secret'
    } as IServerStatus;
    const session = publicSession(
      { kind: 'signed-in', status: leaky },
      'server'
    );
    expect(Object.keys(session).sort()).toEqual(SESSION_KEYS);
    expect(JSON.stringify(session)).not.toContain('secret');
  });

  it('is signed out with nothing to show while loading, signing in or signed out', () => {
    for (const state of [
      { kind: 'loading' as const },
      { kind: 'signed-out' as const, revocation: 'grant' as const },
      { kind: 'signing-in' as const, detail: 'waiting' as const }
    ]) {
      const session = publicSession(state, null);
      expect(session).toMatchObject({
        status: state.kind,
        signedIn: false,
        email: null,
        expiresAt: null,
        scopes: [],
        canRefresh: false,
        error: null
      });
      expect(Object.keys(session).sort()).toEqual(SESSION_KEYS);
    }
  });

  it('is read-only: a consumer cannot change what others see', () => {
    const session = publicSession(
      { kind: 'signed-in', status: signedIn },
      null
    );
    expect(Object.isFrozen(session)).toBe(true);
    expect(Object.isFrozen(session.scopes)).toBe(true);
  });
});

describe('publicError', () => {
  it('gives the code and English message of a sign-in error, not its detail', () => {
    const error = new SignInError(
      'provider_error',
      'The identity provider refused the sign-in.',
      'access_denied: the detail'
    );
    expect(publicError(error)).toEqual({
      code: 'provider_error',
      message: 'The identity provider refused the sign-in.'
    });
  });

  it("gives the server's reason of an API error", () => {
    const error = new ApiError('Nobody is signed in.', 409, 'not_signed_in');
    expect(publicError(error)).toEqual({
      code: 'not_signed_in',
      message: 'Nobody is signed in.'
    });
  });

  it('never echoes an unknown error (it might quote a value)', () => {
    const error = publicError(new Error('bad token eyJ.secret.value'));
    expect(error.code).toBe('unexpected');
    expect(error.message).not.toContain('secret');
  });
});

describe('publicService', () => {
  // No secure context: signIn fails before any window or request, in the model itself.
  const model = () =>
    new SessionModel({
      api: tokenApi,
      baseUrl: '/',
      origin: 'http://example.org',
      client: null,
      secureContext: false
    });

  it("passes the model's changes on as snapshots", () => {
    const service = publicService(model());
    const seen: ITokenTossSession[] = [];
    service.sessionChanged.connect((sender, session) => {
      expect(sender).toBe(service);
      seen.push(session);
    });
    expect(service.session.status).toBe('loading');

    service.signIn();

    expect(seen.map(session => session.error?.code)).toEqual([
      'insecure_context'
    ]);
    expect(service.session).toEqual(seen[0]);
  });

  it('keeps the model out of reach of other extensions', () => {
    const service = publicService(model());
    expect(Object.isFrozen(service)).toBe(true);
    expect(Object.keys(service).sort()).toEqual([
      'refresh',
      'session',
      'sessionChanged',
      'signIn',
      'signOut'
    ]);
  });
});
