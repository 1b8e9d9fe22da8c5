/** Reading the settings (start-up); what the flow derives from them is in `flow/config.ts`. */
import { ITokenTossSettings } from './tokens';

/** Defaults, mirroring `schema/plugin.json`. */
export const DEFAULT_SETTINGS: ITokenTossSettings = {
  clientId: '',
  clientSecret: '',
  issuer: 'https://accounts.google.com',
  scopes: ['openid', 'email', 'profile'],
  hostedDomain: '',
  loginHint: '',
  redirectUri: '',
  autoRefresh: true,
  refreshMarginSeconds: 300
};

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

/** Reads the composite settings object into a typed, trimmed settings value. */
export function readSettings(
  composite: Partial<Record<string, unknown>>
): ITokenTossSettings {
  const margin = Number(composite.refreshMarginSeconds);
  const scopes = text(composite.scopes, '').split(/\s+/).filter(Boolean);
  return {
    clientId: text(composite.clientId, DEFAULT_SETTINGS.clientId),
    clientSecret: text(composite.clientSecret, DEFAULT_SETTINGS.clientSecret),
    issuer: text(composite.issuer, '') || DEFAULT_SETTINGS.issuer,
    scopes: scopes.length ? scopes : DEFAULT_SETTINGS.scopes,
    hostedDomain: text(composite.hostedDomain, ''),
    loginHint: text(composite.loginHint, ''),
    redirectUri: text(composite.redirectUri, ''),
    autoRefresh:
      typeof composite.autoRefresh === 'boolean'
        ? composite.autoRefresh
        : DEFAULT_SETTINGS.autoRefresh,
    refreshMarginSeconds:
      Number.isFinite(margin) && margin >= 30
        ? Math.min(margin, 3000)
        : DEFAULT_SETTINGS.refreshMarginSeconds
  };
}
