/**
 * Adds a style sheet given as text (`*.raw.css`, handed over by the builder as a string).
 * Not through style-loader: its runtime is about 6 kB, which the start-up budget cannot carry
 * (benchmarks/bundle_size.mjs). Adding the same sheet twice is a no-op.
 */
export function addStyleSheet(id: string, css: string): void {
  if (document.getElementById(id)) {
    return;
  }
  const style = document.createElement('style');
  style.id = id;
  style.textContent = css;
  document.head.append(style);
}
