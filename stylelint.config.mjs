// stylelint for style/*.css beside eslint (TS) and prettier (formatting). stylelint 16+ has no
// formatting rules, so the standard config and prettier never disagree.
export default {
  extends: ['stylelint-config-standard'],
  rules: {
    // Selectors may name JupyterLab's and Lumino's classes (jp-SideBar, lm-mod-current, ...),
    // which are not kebab-case: ours are jp-tokentoss-* by convention, not by this rule.
    'selector-class-pattern': null
  }
};
