/**
 * The panel's warnings after a sign-in or a refresh, and the message of a refresh
 * that a Workspace reauthentication policy refused.
 */
import { nullTranslator } from '@jupyterlab/translation';

import { ApiError } from '../../src/api';
import { describeFailure } from '../../src/messages';
import { IServerStatus } from '../../src/tokens';
import { noRefreshTokenWarning, signInWarnings } from '../../src/warnings';

const trans = nullTranslator.load('tokentoss');
const inAnHour = new Date(Date.now() + 3600_000).toISOString();

function status(extra: Partial<IServerStatus>): IServerStatus {
  return {
    signed_in: true,
    email: 'demo@example.com',
    expires_at: inAnHour,
    scopes: ['openid'],
    issuer: 'https://accounts.google.com',
    client_id: 'id',
    missing_scopes: [],
    can_refresh: true,
    refresh_token_expires_at: null,
    ...extra
  };
}

describe('signInWarnings', () => {
  it('is empty for a complete sign-in', () => {
    expect(signInWarnings(status({}), trans)).toEqual([]);
  });

  it('names the scopes the user did not grant', () => {
    const [warning] = signInWarnings(
      status({ missing_scopes: ['profile', 'https://x.example/auth'] }),
      trans
    );
    expect(warning).toContain('Not granted');
    expect(warning).toContain('profile, https://x.example/auth');
  });

  it('warns once that a sign-in without a refresh token ends at expiry', () => {
    const warnings = signInWarnings(status({ can_refresh: false }), trans);
    expect(warnings).toEqual([noRefreshTokenWarning(inAnHour, trans)]);
    expect(warnings[0]).toContain('No refresh token came back');
  });

  it('says when the refresh token itself expires', () => {
    const at = new Date(Date.now() + 7 * 86400_000).toISOString();
    const [warning] = signInWarnings(
      status({ refresh_token_expires_at: at }),
      trans
    );
    expect(warning).toContain('refresh token expires at');
  });

  it('stays quiet for an older server that reports none of it', () => {
    const old = status({});
    delete old.can_refresh;
    delete old.missing_scopes;
    delete old.refresh_token_expires_at;
    expect(signInWarnings(old, trans)).toEqual([]);
  });

  it('is empty when signed out', () => {
    expect(
      signInWarnings(status({ signed_in: false, can_refresh: false }), trans)
    ).toEqual([]);
  });
});

describe('describeFailure of a refresh', () => {
  it('says the organisation requires a new sign-in (RAPT)', () => {
    const failure = describeFailure(
      new ApiError('…', 409, 'reauth_required'),
      trans
    );
    expect(failure.message).toContain(
      'Your organisation requires you to sign in again'
    );
    expect(failure.fix).toBe('retry');
  });
});
