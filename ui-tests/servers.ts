/**
 * The web servers Playwright starts for the Galata configs (playwright.config.ts and
 * playwright.screenshots.config.ts): a Jupyter server per project and the demo provider + service.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { runDir } from './tests/env';

const jupyter = join(__dirname, '..', '.venv', 'bin', 'jupyter');

/**
 * One Jupyter server (`jupyter lab` or `jupyter notebook`) for one project: a folder of its own in
 * the run folder (root, config, settings, token file), its log in a file there (the path is
 * printed by the first line of the run), and `env` on top of the common variables.
 */
export function jupyterServer(
  name: string,
  app: string,
  port: number,
  baseUrl: string,
  env: Record<string, string> = {}
) {
  const dir = join(runDir(), name);
  mkdirSync(join(dir, 'root'), { recursive: true });
  mkdirSync(join(dir, 'jupyter-config'), { recursive: true });
  return {
    command: `${jupyter} ${app} --config jupyter_server_test_config.py > ${join(dir, 'jupyter.log')} 2>&1`,
    url: `http://127.0.0.1:${port}${baseUrl}${app === 'lab' ? 'lab' : 'tree'}`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore' as const,
    stderr: 'ignore' as const,
    env: {
      ...(process.env as Record<string, string>),
      TOKENTOSS_UI_PORT: String(port),
      TOKENTOSS_UI_BASE_URL: baseUrl,
      TOKENTOSS_TOKEN_FILE: join(dir, 'tokens', 'tokens.json'),
      JUPYTERLAB_GALATA_ROOT_DIR: join(dir, 'root'),
      JUPYTER_CONFIG_DIR: join(dir, 'jupyter-config'),
      JUPYTERLAB_SETTINGS_DIR: join(dir, 'settings'),
      ...env
    }
  };
}

/** The Google-like provider and the protected service of demo/servers.mjs, logging to the run folder. */
export function demoServers(idpPort: number, servicePort: number) {
  return {
    command: `node ../demo/servers.mjs --idp-port ${idpPort} --service-port ${servicePort} 2> ${join(runDir(), 'servers.log')}`,
    url: `http://127.0.0.1:${servicePort}/__stats`,
    timeout: 30_000,
    reuseExistingServer: false,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const
  };
}
