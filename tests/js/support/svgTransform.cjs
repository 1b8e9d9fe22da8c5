/** jest: an .svg file is its text, as JupyterLab's builder hands it to @jupyterlab/ui-components. */
module.exports = {
  process: source => ({ code: `module.exports = ${JSON.stringify(source)};` })
};
