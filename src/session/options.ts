/** What the session needs from its surroundings (the plugin passes them in). */
import type { TokenApi } from '../api';
import type { IClientInfo } from '../tokens';

export interface ISessionModelOptions {
  api: TokenApi;
  /** `PageConfig.getBaseUrl()`. */
  baseUrl: string;
  /** `window.location.origin`. */
  origin: string;
  /** The OAuth client the server held at start-up (page config `tokentossClient`), or null. */
  client: IClientInfo | null;
  /** False on plain http off loopback: no `crypto.subtle`, so no PKCE and no sign-in. */
  secureContext: boolean;
}
