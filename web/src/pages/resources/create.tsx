// Creating a resource of any kind: the spec's form comes from the kind's schema (GET /kinds), and the server's
// validation messages appear next to the fields they name.
import { useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import { loadKinds } from '../../api/kinds.ts';
import { fieldErrors, placeErrors } from '../../api/problems.ts';
import { navigate } from '../../router.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { Field, TextField } from '../../ui/field.tsx';
import { ErrorMessage } from '../../ui/problem.tsx';
import { readSchemaValues, SchemaFields, type JsonSchema } from '../../ui/schema-form.tsx';
import { useLoad } from '../../ui/use-load.ts';

/** "key=value" lines into labels; a line without "=" is passed on for the server to refuse. */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const at = line.indexOf('=');
    labels[at === -1 ? line : line.slice(0, at).trim()] = at === -1 ? '' : line.slice(at + 1).trim();
  }
  return labels;
}

export function CreateResourcePage({ params, query }: PageProps) {
  const { api } = useApp();
  const team = params.team;
  const kinds = useLoad(() => loadKinds(api), []);
  const namespaces = useLoad(
    async () => unwrap(await api.GET('/api/v1/teams/{team}/namespaces', { params: { path: { team } } })).items,
    [team],
  );
  const [kindName, setKindName] = useState(query.get('kind') ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const kind = kinds.data?.find((k) => k.name === kindName) ?? kinds.data?.[0];

  async function create(form: HTMLFormElement) {
    if (!kind) return;
    setBusy(true);
    setErrors({});
    const data = new FormData(form);
    const namespace = String(data.get('namespace') ?? '');
    const labels = String(data.get('labels') ?? '');
    try {
      const created = unwrap(
        await api.POST('/api/v1/teams/{team}/resources', {
          params: { path: { team } },
          body: {
            kind: kind.name,
            name: String(data.get('name')),
            ...(namespace ? { namespace } : {}),
            ...(labels.trim() ? { labels: parseLabels(labels) } : {}),
            spec: readSchemaValues(form, 'spec'),
          },
        }),
      );
      navigate(`/teams/${encodeURIComponent(team)}/resources/${created.metadata.id}`);
    } catch (error) {
      setErrors(placeErrors(fieldErrors(error), form, ['spec']));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1 tabIndex={-1}>Create a resource in {team}</h1>
      <ErrorMessage error={kinds.error} />
      {kind && (
        <form
          aria-label="Create a resource"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void create(event.currentTarget);
          }}
        >
          <Field
            id="resource-kind"
            name="kind"
            label="Kind"
            hint={kind.description}
            error={errors.kind}
            control={(c) => (
              <select {...c} value={kind.name} onChange={(event) => setKindName(event.currentTarget.value)}>
                {kinds.data!.map((k) => (
                  <option key={k.name}>{k.name}</option>
                ))}
              </select>
            )}
          />
          <TextField
            id="resource-name"
            name="name"
            label="Name (required)"
            error={errors.name}
            required
            autocomplete="off"
          />
          <Field
            id="resource-namespace"
            name="namespace"
            label="Namespace"
            error={errors.namespace}
            control={(c) => (
              <select {...c}>
                <option value="">none</option>
                {(namespaces.data ?? []).map((n) => (
                  <option key={n.id}>{n.name}</option>
                ))}
              </select>
            )}
          />
          <Field
            id="resource-labels"
            name="labels"
            label="Labels"
            hint="key=value, one per line"
            error={errors.labels}
            control={(c) => <textarea {...c} rows={2} />}
          />
          <fieldset key={kind.name}>
            <legend>{kind.name} spec</legend>
            {errors.spec && (
              <p class="field-error" role="alert">
                {errors.spec}
              </p>
            )}
            <SchemaFields schema={kind.spec as JsonSchema} path="spec" errors={errors} />
          </fieldset>
          {errors[''] && (
            <p class="error" role="alert">
              {errors['']}
            </p>
          )}
          <button type="submit" disabled={busy}>
            Create {kind.name}
          </button>
        </form>
      )}
    </section>
  );
}
