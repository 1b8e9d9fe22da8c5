/**
 * The masked client-secret field of the Settings Editor (lazy chunk `tokentoss-settings`):
 * a password input with a Show/Hide button. It saves exactly what the stock text box saved.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import React, { useEffect, useRef, useState } from 'react';

import { addStyleSheet } from './styleSheet';
import secretStyles from '../style/secret.raw.css';

addStyleSheet('jp-tokentoss-secret-styles', secretStyles);

/** What the field reads of rjsf's field props (a subset of `FieldProps`), plus our texts. */
export interface ISecretFieldProps {
  formData?: unknown;
  onChange: (value: string | undefined) => void;
  schema: { title?: string; readOnly?: boolean };
  idSchema: { $id: string };
  readonly?: boolean;
  disabled?: boolean;
  trans: TranslationBundle;
}

/** The client secret, masked until the user asks to see it. */
export default function SecretInput(props: ISecretFieldProps): JSX.Element {
  const { formData, onChange, schema, idSchema, trans } = props;
  const id = idSchema.$id;
  const value = typeof formData === 'string' ? formData : '';
  // Read-only when the server holds the client (src/managed.ts marks the schema so).
  const locked = Boolean(props.readonly || props.disabled || schema.readOnly);
  const [shown, setShown] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // NOTE: the value goes into the DOM property only. A controlled React input would mirror it
  // into the `value` attribute, where anything reading the page's HTML would find it.
  useEffect(() => {
    if (input.current && input.current.value !== value) {
      input.current.value = value;
    }
  }, [value]);

  return (
    // A custom field draws its own label: one row of label and box, as the form's stock fields.
    <div className="jp-tokentoss-secret-field">
      <h3 className="jp-FormGroup-fieldLabel">
        <label htmlFor={id}>{schema.title}</label>
      </h3>
      <div className="jp-tokentoss-secret jp-FormGroup-contentItem">
        <input
          ref={input}
          id={id}
          className="form-control"
          type={shown ? 'text' : 'password'}
          autoComplete="off"
          spellCheck={false}
          readOnly={locked}
          placeholder={
            locked ? trans.__('Held by the Jupyter server') : undefined
          }
          // As rjsf's text box: an emptied field removes the key (the default, empty, applies).
          onChange={event => onChange(event.target.value || undefined)}
        />
        <button
          type="button"
          className="jp-mod-styled jp-tokentoss-secret-toggle"
          aria-controls={id}
          aria-label={
            shown
              ? trans.__('Hide the client secret')
              : trans.__('Show the client secret')
          }
          onClick={() => setShown(!shown)}
        >
          {shown ? trans.__('Hide') : trans.__('Show')}
        </button>
      </div>
    </div>
  );
}
