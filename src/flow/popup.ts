/**
 * The sign-in popup, opened synchronously inside the user's click so popup
 * blockers let it through; the sign-in chunk navigates it once the URL is ready.
 * Kept apart from the relay receiver so that only this stays in the start-up bundle.
 */

/** Opens an empty popup. Call it synchronously in a click handler; null means blocked. */
export function openBlankPopup(): Window | null {
  const width = 500;
  const height = 650;
  const left = Math.max(0, window.screenX + (window.outerWidth - width) / 2);
  const top = Math.max(0, window.screenY + (window.outerHeight - height) / 2);
  // No `noopener`: the callback page may use window.opener to reach us.
  return window.open(
    'about:blank',
    // A fresh name: never reuse (and later close) a window someone else named.
    `tokentoss-sign-in-${crypto.randomUUID()}`,
    `popup=yes,width=${width},height=${height},left=${left},top=${top}`
  );
}
