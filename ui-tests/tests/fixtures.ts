/**
 * Galata's test object, made to work under a JupyterHub-style base URL as well as at `/`.
 *
 * Galata's own `tmpPath` fixture and runner clean-up call `/api/...` with a leading slash, which drops
 * the base URL's path (`/user/alice/`); these overrides build every URL from `baseURL` instead.
 */
import { test as base } from '@jupyterlab/galata';

export { expect } from '@jupyterlab/galata';

export const test = base.extend({
  tmpPath: async ({ request, baseURL }, use, testInfo) => {
    const folder = `tokentoss-${testInfo.project.name}-${testInfo.testId}`;
    const url = `${baseURL}/api/contents/${folder}`;
    const created = await request.put(url, { data: { type: 'directory' } });
    if (!created.ok()) {
      throw new Error(
        `could not create ${url}: ${created.status()} ${await created.text()}`
      );
    }
    await use(folder);
    // Best effort: kernels started by the test, then the folder.
    const kernels = await request.get(`${baseURL}/api/kernels`);
    if (kernels.ok()) {
      for (const kernel of (await kernels.json()) as { id: string }[]) {
        await request.delete(`${baseURL}/api/kernels/${kernel.id}`);
      }
    }
    await request.delete(url);
  }
});
