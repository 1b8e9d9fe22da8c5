/**
 * Galata's test object, made to work under a JupyterHub-style base URL as well as at `/`.
 *
 * Galata's own `tmpPath` fixture and runner clean-up call `/api/...` with a leading slash, which drops
 * the base URL's path (`/user/alice/`); these overrides build every URL from `baseURL` instead.
 */
import { test as base } from '@jupyterlab/galata';
import { APIRequestContext } from '@playwright/test';

export { expect } from '@jupyterlab/galata';

/**
 * Deletes every workspace the JupyterLab server has saved. A test that does not mock the state
 * (`mockState: false`) would otherwise open on the layout a previous test left behind (tabs of
 * deleted notebooks, no Launcher), and Galata's wait for the Launcher would time out.
 */
async function deleteWorkspaces(
  request: APIRequestContext,
  baseURL: string | undefined
): Promise<void> {
  const url = `${baseURL}/lab/api/workspaces`;
  const listed = await request.get(url);
  if (!listed.ok()) {
    throw new Error(
      `could not list the workspaces at ${url}: ${listed.status()}`
    );
  }
  const { workspaces } = (await listed.json()) as {
    workspaces: { ids: string[] };
  };
  for (const id of workspaces.ids) {
    const deleted = await request.delete(`${url}/${id}`);
    if (!deleted.ok()) {
      throw new Error(
        `could not delete the workspace ${id}: ${deleted.status()} ${await deleted.text()}`
      );
    }
  }
}

export const test = base.extend<{ cleanWorkspaces: void }>({
  // Automatic, so set up before Galata's page loads JupyterLab: every test starts from a clean
  // workspace, and leaves none behind for the next spec.
  cleanWorkspaces: [
    async ({ request, baseURL }, use) => {
      await deleteWorkspaces(request, baseURL);
      await use();
      await deleteWorkspaces(request, baseURL);
    },
    { auto: true }
  ],
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
