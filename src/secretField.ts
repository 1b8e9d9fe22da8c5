/**
 * The client secret in the Settings Editor: a masked field instead of rjsf's clear-text box.
 * Registered at start-up (the form asks the registry when it draws); the field itself is a
 * lazy chunk, fetched when the Settings Editor first draws tokentoss. React is JupyterLab's.
 */
import type { IFormRendererRegistry } from '@jupyterlab/ui-components';
import type { TranslationBundle } from '@jupyterlab/translation';
import { createElement, lazy, Suspense } from 'react';

import type { ISecretFieldProps } from './secretInput';
import { PLUGIN_ID } from './tokens';

/** The settings key of the secret (`schema/plugin.json`). */
export const SECRET_KEY = 'clientSecret';

/** Has the Settings Editor draw `clientSecret` with the masked field of `secretInput.tsx`. */
export function registerSecretField(
  registry: IFormRendererRegistry,
  trans: TranslationBundle
): void {
  const Field = lazy(
    () => import(/* webpackChunkName: "tokentoss-settings" */ './secretInput')
  );
  // One component for the editor's whole life: a new one per draw would remount the input.
  const SecretField = (props: Omit<ISecretFieldProps, 'trans'>) =>
    createElement(
      Suspense,
      { fallback: null },
      createElement(Field, { ...props, trans })
    );
  registry.addRenderer(`${PLUGIN_ID}.${SECRET_KEY}`, {
    fieldRenderer: SecretField
  });
}
