/**
 * What jsdom lacks and JupyterLab's widget libraries need at import: @lumino/dragdrop
 * subclasses DragEvent, @jupyterlab/ui-components asks matchMedia for the colour scheme.
 * Import this module before any widget module.
 */
if (typeof globalThis.DragEvent === 'undefined') {
  Object.assign(globalThis, { DragEvent: class extends MouseEvent {} });
}
if (typeof window.matchMedia !== 'function') {
  // No media queries in jsdom: nothing matches (light theme, no reduced motion).
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
      dispatchEvent: () => false
    }) as MediaQueryList;
}
