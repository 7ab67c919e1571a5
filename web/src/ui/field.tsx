// A labelled form control with its hint and the API's message about it underneath, tied by aria-describedby.
import type { ComponentChildren, JSX } from 'preact';

export interface ControlProps {
  id: string;
  name: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

export function Field(props: {
  id: string;
  name: string;
  label: ComponentChildren;
  error?: string;
  hint?: ComponentChildren;
  /** Draws the control with the props that tie it to its label and messages. */
  control: (control: ControlProps) => JSX.Element;
}) {
  const { id, error, hint } = props;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.control({
        id,
        name: props.name,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A text input field: the common case. */
export function TextField(props: {
  id: string;
  name: string;
  label: string;
  error?: string;
  hint?: string;
  type?: 'text' | 'password' | 'number' | 'search';
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  value?: string;
  onInput?: (value: string) => void;
}) {
  const { id, name, label, error, hint, onInput, type = 'text', ...input } = props;
  return (
    <Field
      id={id}
      name={name}
      label={label}
      error={error}
      hint={hint}
      control={(c) => (
        <input
          // Preact's types tie some attributes to each input type; these four share the same ones.
          type={type as 'text'}
          {...input}
          {...c}
          onInput={onInput ? (event) => onInput(event.currentTarget.value) : undefined}
        />
      )}
    />
  );
}
