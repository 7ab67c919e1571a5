// Where a problem points: the form field each message of an API error names, so it is shown next to that field.
import { ApiError } from './client.ts';

/**
 * Messages by field name: `name`, `namespace`, `labels`, `spec.<property>`...; what names no field is under ''.
 * Reads the three shapes the API uses: `field` (a service's check), `errors[].path` (schema validation,
 * "body/name"), and `problems[]` ("/image: Expected string", a kind's spec check).
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return { '': String(error instanceof Error ? error.message : error) };
  const { problem } = error;
  const found: Record<string, string> = {};
  const add = (field: string, message: string) => {
    found[field] = found[field] ? `${found[field]}; ${message}` : message;
  };
  for (const entry of problem.errors ?? []) {
    const path = entry.path.replace(/^body\/?/, '').replace(/^querystring\/?/, '');
    add(path.split('/').filter(Boolean).join('.'), entry.message);
  }
  for (const entry of problem.problems ?? []) {
    const match = /^\/([^:]*): (.*)$/.exec(entry);
    if (match) add(`spec.${match[1].split('/').filter(Boolean).join('.')}`.replace(/\.$/, ''), match[2]);
    else add('spec', entry);
  }
  if (problem.field && !problem.errors && !problem.problems) add(problem.field, error.message);
  if (Object.keys(found).length === 0) add('', error.message);
  return found;
}

/** Moves the messages naming no control of `form` to '' (shown at the form's foot), so none is lost. */
export function placeErrors(found: Record<string, string>, form: HTMLFormElement, shownElsewhere: string[] = []) {
  const placed: Record<string, string> = {};
  for (const [field, message] of Object.entries(found)) {
    const target = field === '' || shownElsewhere.includes(field) || form.elements.namedItem(field) ? field : '';
    const prefix = target === '' && field !== '' ? `${field}: ` : '';
    placed[target] = placed[target] ? `${placed[target]}; ${prefix}${message}` : prefix + message;
  }
  return placed;
}
