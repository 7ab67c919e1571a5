// Form controls generated from a JSON schema as GET /kinds publishes a kind's spec: a new kind gets a form
// without console code. Strings, numbers, booleans and choices get inputs; lists of strings a line per item;
// anything richer a JSON text area. Empty fields are left out, so the server's defaults apply.
import { Field } from './field.tsx';

export interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

type Control = 'text' | 'long-text' | 'number' | 'boolean' | 'choice' | 'lines' | 'json' | 'object';

/** The literal choices of a schema (an enum or a union of constants), if it is one. */
const choicesOf = (schema: JsonSchema): string[] | undefined =>
  schema.enum?.map(String) ??
  (schema.anyOf?.every((option) => option.const !== undefined)
    ? schema.anyOf.map((option) => String(option.const))
    : undefined);

function controlOf(schema: JsonSchema): Control {
  if (choicesOf(schema)) return 'choice';
  switch (schema.type) {
    case 'string':
      return (schema.maxLength ?? 0) > 1024 ? 'long-text' : 'text';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return schema.items?.type === 'string' && !choicesOf(schema.items) ? 'lines' : 'json';
    case 'object':
      return schema.properties && Object.keys(schema.properties).length > 0 ? 'object' : 'json';
    default:
      return 'json';
  }
}

const idOf = (path: string) => path.replace(/[^A-Za-z0-9_-]/g, '-');
const defaultText = (value: unknown) =>
  value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
    ? undefined
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** The controls of an object schema's properties, named `<path>.<property>`. */
export function SchemaFields(props: { schema: JsonSchema; path: string; errors: Record<string, string> }) {
  const { schema, path, errors } = props;
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, property]) => (
        <SchemaField
          key={name}
          name={name}
          schema={property}
          path={`${path}.${name}`}
          required={(schema.required ?? []).includes(name) && property.default === undefined}
          errors={errors}
        />
      ))}
    </>
  );
}

function SchemaField(props: {
  name: string;
  schema: JsonSchema;
  path: string;
  required: boolean;
  errors: Record<string, string>;
}) {
  const { name, schema, path, required, errors } = props;
  const control = controlOf(schema);
  const id = idOf(path);
  if (control === 'object')
    return (
      <fieldset name={path}>
        <legend>{name}</legend>
        {schema.description && <p class="hint">{schema.description}</p>}
        {errors[path] && <p class="field-error">{errors[path]}</p>}
        <SchemaFields schema={schema} path={path} errors={errors} />
      </fieldset>
    );
  const fallback = defaultText(schema.default);
  const hint = [
    schema.description,
    control === 'lines' ? 'one per line' : control === 'json' ? 'JSON' : undefined,
    fallback !== undefined ? `default: ${fallback}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  const label = required ? `${name} (required)` : name;
  return (
    <Field
      id={id}
      name={path}
      label={label}
      hint={hint || undefined}
      error={errors[path]}
      control={(c) => {
        const common = { ...c, 'data-control': control, required };
        if (control === 'choice')
          return (
            <select {...common}>
              <option value="">{fallback === undefined ? '—' : `default (${fallback})`}</option>
              {choicesOf(schema)!.map((choice) => (
                <option key={choice}>{choice}</option>
              ))}
            </select>
          );
        if (control === 'boolean')
          return (
            <select {...common}>
              <option value="">{fallback === undefined ? '—' : `default (${fallback})`}</option>
              <option>true</option>
              <option>false</option>
            </select>
          );
        if (control === 'long-text' || control === 'lines' || control === 'json')
          return <textarea {...common} rows={control === 'json' ? 4 : 3} />;
        if (control === 'number') return <input {...common} type="number" min={schema.minimum} max={schema.maximum} />;
        return <input {...common} type="text" autocomplete="off" />;
      }}
    />
  );
}

/**
 * The value of each schema control of a form under `prefix`, built back into an object. A value that does not
 * parse (JSON, number) is passed as the text typed, so the server says what is wrong with it, next to the field.
 */
export function readSchemaValues(form: HTMLFormElement, prefix: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const element of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
    '[data-control]',
  )) {
    if (!element.name.startsWith(`${prefix}.`) || element.value.trim() === '') continue;
    const text = element.value;
    let value: unknown = text;
    switch (element.dataset.control) {
      case 'number':
        value = Number.isFinite(Number(text)) ? Number(text) : text;
        break;
      case 'boolean':
        value = text === 'true';
        break;
      case 'lines':
        value = text
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        break;
      case 'json':
        try {
          value = JSON.parse(text);
        } catch {
          value = text;
        }
        break;
    }
    const keys = element.name.slice(prefix.length + 1).split('.');
    let target = result;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[keys[keys.length - 1]] = value;
  }
  return result;
}
