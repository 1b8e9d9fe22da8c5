/**
 * Positive signals the specs wait for instead of fixed sleeps: each resolves when the thing a test
 * waits out has happened (or would have happened by then).
 */
import { expect, Page } from '@playwright/test';

/**
 * Waits until a popup is closed. Polls `isClosed()` rather than waiting for the `close` event,
 * which is missed when the popup closes before the listener is registered.
 */
export async function popupClosed(
  popup: Page,
  reason = 'the popup closes itself'
): Promise<void> {
  await expect
    .poll(() => popup.isClosed(), { message: reason, timeout: 60_000 })
    .toBe(true);
}

/** How many callback relays reached the JupyterLab page, per BroadcastChannel state and by window message. */
export interface IRelaysSeen {
  channels: Record<string, number>;
  window: number;
}

/**
 * Starts counting, in the JupyterLab page, the callback relays that reach it: messages on the
 * BroadcastChannels of `states` and `tokentoss:callback` window messages. Returns a reader for
 * `expect.poll`. The extension's own listeners were registered earlier and so run first: once a
 * relay is counted here, the extension has had it too. That is the positive signal a test waits
 * for before asserting that a relay changed nothing.
 */
export async function watchRelays(
  page: Page,
  states: string[]
): Promise<() => Promise<IRelaysSeen>> {
  await page.evaluate(
    ({ states, type }) => {
      const seen = { channels: {} as Record<string, number>, window: 0 };
      const channels = states.map(state => {
        seen.channels[state] = 0;
        const channel = new BroadcastChannel(`tokentoss:${state}`);
        channel.onmessage = () => {
          seen.channels[state] += 1;
        };
        return channel;
      });
      window.addEventListener('message', event => {
        if (event.data?.type === type) {
          seen.window += 1;
        }
      });
      (window as any).__tokentossRelays = { seen, channels };
    },
    { states, type: 'tokentoss:callback' }
  );
  return () =>
    page.evaluate(() => (window as any).__tokentossRelays.seen as IRelaysSeen);
}

/** The probe's image URL (relative, as the injected `src=x`; marked so tests can tell it apart). */
export const PROBE_IMAGE = 'x?tokentoss-probe';

/**
 * Resolves once an image that cannot load has fired its error event in `page`. An
 * `<img src=x onerror=…>` rendered before this call would have fired its handler by then: the
 * positive signal a test waits for before asserting that no injected handler ran.
 */
export async function imageErrorsFired(page: Page): Promise<void> {
  await page.evaluate(
    src =>
      new Promise<void>(resolve => {
        const probe = new Image();
        probe.onerror = () => resolve();
        probe.onload = () => resolve();
        probe.src = src;
      }),
    PROBE_IMAGE
  );
}
