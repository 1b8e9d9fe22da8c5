/**
 * Sends the page to the background or brings it back, as a tab switch does:
 * `document.visibilityState` (and `hidden`) change, then `visibilitychange`
 * fires (Lumino's Poll follows that event).
 */
export function setTabVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => state
  });
  Object.defineProperty(document, 'hidden', {
    configurable: true,
    get: () => state === 'hidden'
  });
  document.dispatchEvent(new Event('visibilitychange'));
}
