/**
 * @jest-environment jsdom
 *
 * The sidebar panel re-reads the status every 30 s while it is shown, and
 * stands by while the browser tab is in the background (the refresh schedule
 * does not: model.spec.ts).
 */
import './support/dom';

import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { TokenTossPanel } from '../../src/panel';
import { ServerStandIn, sessionOn } from './support/server';
import { setTabVisibility } from './support/visibility';

/** A panel on a signed-out session, attached but not yet shown. */
async function hiddenPanel(server: ServerStandIn) {
  const model = sessionOn(server.api);
  await model.checkStatus();
  server.calls = [];
  const panel = new TokenTossPanel(
    model,
    new CommandRegistry(),
    nullTranslator.load('tokentoss')
  );
  panel.hide();
  Widget.attach(panel, document.body);
  return { model, panel };
}

const statusChecks = (server: ServerStandIn) =>
  server.calls.filter(call => call === 'status').length;

afterEach(() => {
  setTabVisibility('visible');
  jest.useRealTimers();
});

it('asks the server at once when shown, then every 30 s, and stops when hidden', async () => {
  jest.useFakeTimers();
  const server = new ServerStandIn();
  const { model, panel } = await hiddenPanel(server);
  await jest.advanceTimersByTimeAsync(60_000);
  expect(statusChecks(server)).toBe(0);
  panel.show();
  await jest.advanceTimersByTimeAsync(0);
  expect(statusChecks(server)).toBe(1);
  await jest.advanceTimersByTimeAsync(30_000);
  expect(statusChecks(server)).toBe(2);
  panel.hide();
  await jest.advanceTimersByTimeAsync(120_000);
  expect(statusChecks(server)).toBe(2);
  panel.dispose();
  model.dispose();
});

it('stands by while the tab is in the background, and asks again when it is back', async () => {
  jest.useFakeTimers();
  const server = new ServerStandIn();
  const { model, panel } = await hiddenPanel(server);
  panel.show();
  await jest.advanceTimersByTimeAsync(0);
  expect(statusChecks(server)).toBe(1);
  setTabVisibility('hidden');
  await jest.advanceTimersByTimeAsync(300_000);
  expect(statusChecks(server)).toBe(1);
  setTabVisibility('visible');
  await jest.advanceTimersByTimeAsync(30_000);
  expect(statusChecks(server)).toBe(2);
  panel.dispose();
  model.dispose();
});
