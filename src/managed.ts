/**
 * A server-held OAuth client in the Settings Editor: a settings-registry transform marks the
 * fields the server fixes read-only and says so in their description. Runs at start-up from
 * page config (no network), so it stays small.
 */
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { IClientInfo } from './tokens';

/** The server's client from page config `tokentossClient`, or null when it holds none. */
export function pageConfigClient(raw: string): IClientInfo | null {
  // Written by our server extension (json.dumps); absent ('') without it.
  const client = JSON.parse(raw || 'null') as IClientInfo | null;
  return client?.source ? client : null;
}

/** True when the server's own configuration fixes the client (DESIGN's first source). */
export function isServerManaged(client: IClientInfo | null): boolean {
  return client?.source === 'server_config';
}

/** The plugin with the managed properties read-only, their descriptions prefixed by `note`. */
export function markManaged(
  plugin: ISettingRegistry.IPlugin,
  fields: string[],
  note: string
): ISettingRegistry.IPlugin {
  const properties = { ...plugin.schema.properties };
  for (const key of fields) {
    const property = properties[key];
    if (property) {
      properties[key] = {
        ...property,
        readOnly: true,
        description: `${note} ${property.description ?? ''}`
      };
    }
  }
  return { ...plugin, schema: { ...plugin.schema, properties } };
}
