/**
 * The sign-in's mode and, for a server-held client, the flow's configuration. Part of the
 * sign-in chunk; the choice itself is in `chooseMode.ts` (start-up needs it too).
 */
import { DEFAULT_SETTINGS } from '../settings';
import type { IClientInfo, IFlowConfig, ITokenTossSettings } from '../tokens';
import { flowConfig } from './config';

export { chooseMode } from './chooseMode';

/**
 * The flow's configuration for a server-held client: the server's values win, the settings
 * fill what the server leaves open (login hint, scopes, redirect URI). NOTE: no secret: the
 * server redeems the code.
 */
export function serverFlowConfig(
  server: IClientInfo,
  settings: ITokenTossSettings,
  origin: string,
  baseUrl: string
): IFlowConfig {
  return flowConfig(
    {
      ...settings,
      clientId: server.client_id ?? '',
      clientSecret: '',
      issuer: server.issuer ?? DEFAULT_SETTINGS.issuer,
      scopes: server.scopes?.length ? server.scopes : settings.scopes,
      hostedDomain: server.hosted_domain ?? '',
      redirectUri: server.redirect_uri ?? settings.redirectUri
    },
    origin,
    baseUrl
  );
}
