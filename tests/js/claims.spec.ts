/**
 * Claims the flow checks beyond signature, iss, aud and nonce, against the real
 * local provider: azp must be our client, an unverified email is not the
 * user's, and control or bidi characters never reach the screen.
 */
import { displayText } from '../../src/displayText';
import { verifiedEmail, verifiedName } from '../../src/flow/idToken';
import { SignInError } from '../../src/flow/errors';
import {
  completeAuthorization,
  prepareAuthorization
} from '../../src/flow/oauth';
import {
  authorize,
  flowConfig,
  IProvider,
  startProvider
} from './support/provider';

let provider: IProvider;

beforeAll(async () => {
  provider = await startProvider();
});

afterAll(async () => {
  await provider?.stop();
});

beforeEach(async () => {
  await provider.reset();
});

async function signIn(): Promise<ReturnType<typeof completeAuthorization>> {
  const pending = await prepareAuthorization(flowConfig(provider));
  return completeAuthorization(pending, await authorize(pending));
}

describe('ID token claims', () => {
  it('refuses an ID token whose azp is another client', async () => {
    await provider.control({ azp: 'another-client' });
    const error = await signIn().then(
      () => null,
      (reason: unknown) => reason
    );
    expect(error).toBeInstanceOf(SignInError);
    expect((error as SignInError).code).toBe('id_token_invalid');
    expect((error as SignInError).detail).toMatch(/azp/);
  });

  it('keeps the email when the provider verified it', async () => {
    expect((await signIn()).user_email).toBe('demo@example.com');
  });

  it('does not take an unverified email as the user’s', async () => {
    await provider.control({ email_verified: false });
    const tokens = await signIn();
    expect(tokens.user_email).toBeNull();
  });

  it('does not store an email with a bidi override', async () => {
    await provider.control({ email: 'alice@\u202eelpmaxe.com' });
    expect((await signIn()).user_email).toBeNull();
  });
});

describe('email from userinfo (browser exchange)', () => {
  // Without the email scope the ID token carries no email: as OpenID's default, ask userinfo.
  async function signInWithoutEmailScope() {
    const pending = await prepareAuthorization(
      flowConfig(provider, { scopes: ['openid', 'profile'] })
    );
    return completeAuthorization(pending, await authorize(pending));
  }

  it('takes the email userinfo vouches for when the ID token has none', async () => {
    expect((await signInWithoutEmailScope()).user_email).toBe(
      'demo@example.com'
    );
  });

  it('applies the same rule to userinfo: an unverified email is not the user’s', async () => {
    await provider.control({ email_verified: false });
    expect((await signInWithoutEmailScope()).user_email).toBeNull();
  });
});

describe('the user’s name (browser exchange)', () => {
  async function signInWith(scopes: string[]) {
    const pending = await prepareAuthorization(
      flowConfig(provider, { scopes })
    );
    return completeAuthorization(pending, await authorize(pending));
  }

  it('takes the name the ID token carries (profile granted)', async () => {
    expect((await signIn()).user_name).toBe('Demo User');
  });

  it('keeps markup in a name as text (shown with textContent)', async () => {
    const markup = '<img src=x onerror="alert(1)">Ada';
    await provider.control({ name: markup });
    expect((await signIn()).user_name).toBe(markup);
  });

  it.each(['Eve\u202eecilA', 'Eve\u001b[2J', 'Eve\nAda', 'A'.repeat(257)])(
    'refuses the name %j, and does not look for another in userinfo',
    async name => {
      await provider.control({ name });
      const tokens = await signIn();
      expect(tokens.user_name).toBeNull();
      expect(tokens.user_email).toBe('demo@example.com');
    }
  );

  it('asks for no name without the profile scope', async () => {
    // The demo's userinfo would answer one: not asked, since profile was not granted.
    expect((await signInWith(['openid', 'email'])).user_name).toBeNull();
  });
});

describe('verifiedName (the rule of tokentoss._jwt.vouched_name)', () => {
  it.each([
    [{ name: 'Ada Lovelace' }, 'Ada Lovelace'],
    [{ name: '<b>Ada</b>' }, '<b>Ada</b>'],
    [{ name: 'A'.repeat(256) }, 'A'.repeat(256)],
    [{ name: '\u{1F600}'.repeat(256) }, '\u{1F600}'.repeat(256)], // code points, as Python
    [{ name: 'A'.repeat(257) }, null],
    [{ name: '   ' }, null],
    [{ name: 'Ada\u200f' }, null],
    [{ name: 'Ada\u0085' }, null],
    [{ name: 42 }, null],
    [{}, null]
  ])('case %# gives its expected name', (claims, expected) => {
    expect(verifiedName(claims)).toBe(expected);
  });
});

describe('verifiedEmail (the rule of tokentoss._jwt.vouched_email)', () => {
  it.each([
    [{ email: 'bob@example.com', email_verified: true }, 'bob@example.com'],
    [{ email: 'bob@example.com' }, 'bob@example.com'],
    [{ email: 'bob@example.com', email_verified: false }, null],
    [{ email: 'bob@example.com', email_verified: 'FALSE' }, null],
    [{ email: 'bob' }, null],
    [{ email: 'bob @example.com' }, null],
    [{ email: 'bob\u200f@example.com' }, null],
    [{ email: 42 }, null]
  ])('%j gives %j', (claims, expected) => {
    expect(verifiedEmail(claims)).toBe(expected);
  });
});

describe('displayText', () => {
  it.each([
    ['\u202e', '\\u{202e}'],
    ['\u2066', '\\u{2066}'],
    ['\u001b', '\\u{1b}'],
    ['\u0085', '\\u{85}'],
    ['\u200f', '\\u{200f}'],
    ['\u007f', '\\u{7f}']
  ])('escapes %j', (unsafe, escaped) => {
    expect(displayText(`eve${unsafe}@example.com`)).toBe(
      `eve${escaped}@example.com`
    );
  });

  it('leaves ordinary text, accents included, alone', () => {
    expect(displayText('zoë@exämple.com')).toBe('zoë@exämple.com');
  });
});
