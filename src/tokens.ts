/**
 * The public surface of the tokentoss lab extension: identifiers, settings and
 * the shapes exchanged with the server extension.
 */

/** The plugin id, also the settings id (`schema/plugin.json`). */
export const PLUGIN_ID = 'tokentoss:plugin';

/** Id of the sidebar panel widget (restored across reloads). */
export const PANEL_ID = 'tokentoss-panel';

/** Command ids registered by the extension. */
export namespace CommandIDs {
  export const signIn = 'tokentoss:sign-in';
  export const signOut = 'tokentoss:sign-out';
  export const refresh = 'tokentoss:refresh';
  export const openSettings = 'tokentoss:open-settings';
  export const openPanel = 'tokentoss:open-panel';
}

/** The user settings, normalised (see `settings.ts`). */
export interface ITokenTossSettings {
  /** OAuth client ID; empty until the user configures it. */
  clientId: string;
  /** OAuth client secret; empty when the provider needs none. */
  clientSecret: string;
  /** OpenID Connect issuer URL. */
  issuer: string;
  /** Requested scopes. */
  scopes: string[];
  /** Google Workspace domain to restrict to (`hd`), or empty. */
  hostedDomain: string;
  /** Account to pre-select, or empty. */
  loginHint: string;
  /** Fixed redirect URI, or empty for this server's callback page. */
  redirectUri: string;
  /** Ask the server to refresh before expiry while JupyterLab is open. */
  autoRefresh: boolean;
  /** Seconds before expiry at which the background refresh happens. */
  refreshMarginSeconds: number;
}

/** `GET tokentoss/status`: who is signed in. NOTE: never carries a token value. */
export interface IServerStatus {
  signed_in: boolean;
  email: string | null;
  /** The user's name (ID token or userinfo), shown through displayText. */
  name?: string | null;
  expires_at: string | null;
  scopes: string[];
  issuer: string | null;
  client_id: string | null;
  /** Requested scopes the provider did not grant (`src/warnings.ts` warns). */
  missing_scopes?: string[];
  /** False when no refresh token came back: the sign-in ends at `expires_at`. */
  can_refresh?: boolean;
  /** ISO 8601, when the provider said the refresh token dies; null when it did not. */
  refresh_token_expires_at?: string | null;
}

/**
 * What a sign-out revoked at the provider, in its terms: `grant` (every token of the sign-in
 * stopped working), `access_token` (no refresh token: only that token; the ID token stays
 * valid until it expires), null (nothing confirmed: the tokens stay valid until they expire).
 */
export type Revocation = 'grant' | 'access_token' | null;

/** `DELETE tokentoss/tokens`: the signed-out status and what the provider revoked. */
export interface ISignedOut extends IServerStatus {
  /** True if the provider confirmed a revocation (`revocation` says which). */
  revoked: boolean;
  revocation: Revocation;
}

/**
 * `GET tokentoss/client` (also page config `tokentossClient`): the OAuth client the server holds,
 * if any. NOTE: never carries the secret, only whether there is one.
 */
export interface IClientInfo {
  source: 'server_config' | 'user_client_file' | null;
  /** Settings keys the server fixes (`clientId`, …); empty when `source` is null. */
  managed_fields: string[];
  /** Where the client comes from, in words for the panel. */
  origin: string | null;
  client_id: string | null;
  issuer: string | null;
  scopes: string[] | null;
  hosted_domain: string | null;
  redirect_uri: string | null;
  has_secret: boolean;
}

/** Who redeems the sign-in's code: the Jupyter server (it holds the client) or the browser. */
export type SignInMode = 'server' | 'browser';

/** `POST tokentoss/signins` body: a pending sign-in, registered before the popup navigates. */
export interface ISignInRegistration {
  state: string;
  nonce: string;
  redirect_uri: string;
  mode: SignInMode;
  /** Server mode only: the server redeems the code with it. */
  code_verifier?: string;
  /** Browser mode: the settings' domain; the server then checks the ID token's `hd`. */
  hosted_domain: string | null;
}

/** `GET tokentoss/signins/<state>`: how far a registered sign-in got. NOTE: never a token. */
export interface ISignInOutcome {
  state: string;
  mode: SignInMode;
  status: 'waiting' | 'answered' | 'succeeded' | 'failed';
  reason: string | null;
  message: string | null;
  /** Browser mode, status answered: the callback's query string, validated by the flow. */
  callback: string | null;
}

/** `PUT tokentoss/tokens` body: what the browser hands to the server once, after sign-in. */
export interface ITokenUpload {
  /** The browser-mode registration this sign-in answers (consumed by the server). */
  state: string;
  access_token: string;
  id_token: string;
  refresh_token: string | null;
  /** ISO 8601: the earliest of the access token's and the ID token's expiry. */
  expires_at: string;
  scopes: string[];
  user_email: string | null;
  /** The name the browser read (the server stores its own reading). */
  user_name?: string | null;
  issuer: string;
  client_id: string;
  client_secret: string | null;
  /** What the sign-in asked for (`scopes` is what was granted). */
  requested_scopes?: string[];
  /** The provider's `refresh_token_expires_in` (seconds), when it gave one. */
  refresh_token_expires_in?: number | null;
}

/** What the flow needs, derived from the settings and the page's location. */
export interface IFlowConfig {
  issuer: URL;
  clientId: string;
  clientSecret: string | null;
  scopes: string[];
  hostedDomain: string | null;
  loginHint: string | null;
  redirectUri: string;
}

/** The states of the sign-in session shown by the panel and the status bar. */
export type SessionState =
  | { kind: 'loading' }
  /** `revocation`: after a sign-out in this lab, what the provider revoked (else absent). */
  | { kind: 'signed-out'; revocation?: Revocation }
  | {
      kind: 'signing-in';
      detail: 'opening' | 'waiting' | 'lost-contact' | 'saving';
    }
  | { kind: 'signed-in'; status: IServerStatus }
  /** `error` is turned into a translated message by `messages.ts` when shown. */
  | { kind: 'error'; error: unknown };
