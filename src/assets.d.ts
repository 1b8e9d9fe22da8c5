/** Style sheets that the builder hands over as text (`asset/source` for `*.raw.css`). */
declare module '*.raw.css' {
  const css: string;
  export default css;
}
