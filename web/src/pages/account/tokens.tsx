// API tokens: create one with scopes and an expiry (its secret is shown once), list them, revoke one.
import { useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import { fieldErrors } from '../../api/problems.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { useConfirm } from '../../ui/confirm.tsx';
import { dateTime } from '../../ui/format.ts';
import { ErrorMessage } from '../../ui/problem.tsx';
import { Field, TextField } from '../../ui/field.tsx';
import { useLoad } from '../../ui/use-load.ts';
import '../account/account.css';

const scopeHelp: [scope: 'read' | 'write' | 'admin' | 'agent', help: string][] = [
  ['read', 'read what you can see'],
  ['write', 'create and change'],
  ['admin', 'act as platform admin'],
  ['agent', 'report the status of resources (an external agent)'],
];

const expiries: [seconds: string, label: string][] = [
  ['3600', '1 hour'],
  ['86400', '1 day'],
  ['604800', '7 days'],
  ['2592000', '30 days'],
  ['7776000', '90 days'],
  ['', 'the longest the server allows'],
];

export function TokensPage(_props: PageProps) {
  const { api, user } = useApp();
  const tokens = useLoad(async () => unwrap(await api.GET('/api/v1/tokens')).items, []);
  const [secret, setSecret] = useState<{ name: string; token: string }>();
  const [error, setError] = useState<unknown>();
  const confirm = useConfirm();

  async function revoke(tokenId: string, name: string) {
    const yes = await confirm.ask(`Revoke token ${name}?`, 'Whatever uses it is refused from now on.', 'Revoke');
    if (!yes) return;
    setError(undefined);
    try {
      unwrap(await api.DELETE('/api/v1/tokens/{tokenId}', { params: { path: { tokenId } } }));
    } catch (failure) {
      setError(failure);
    }
    tokens.reload();
  }

  return (
    <section>
      <h1 tabIndex={-1}>API tokens</h1>
      <p>
        Tokens for scripts and the CLI. A token's secret is shown once, when it is made; cloudplane keeps only a hash.
      </p>
      {secret && (
        <div class="notice one-time" role="status">
          <div class="field">
            <label for="new-token">Secret of token {secret.name}: copy it now, it is shown only this once</label>
            <input
              id="new-token"
              class="mono"
              readOnly
              value={secret.token}
              onFocus={(event) => event.currentTarget.select()}
            />
          </div>
          <button type="button" onClick={() => setSecret(undefined)}>
            I have copied it
          </button>
        </div>
      )}
      <CreateForm
        isAdmin={user.isAdmin}
        onCreated={(created) => {
          setSecret(created);
          tokens.reload();
        }}
      />
      <h2>Your tokens</h2>
      <ErrorMessage error={tokens.error ?? error} />
      {tokens.data && (
        <div class="table-wrap" role="region" aria-label="Your live tokens (scrolls sideways)" tabIndex={0}>
          <table>
            <caption class="visually-hidden">Your live tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Scopes</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>{token.kind}</td>
                  <td>{token.scopes.join(', ')}</td>
                  <td>{token.expiresAt ? dateTime(token.expiresAt) : 'never'}</td>
                  <td>{token.lastUsedAt ? dateTime(token.lastUsedAt) : 'never'}</td>
                  <td>
                    {token.id === user.tokenId ? (
                      <span class="muted">this session (Log out revokes it)</span>
                    ) : (
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Revoke token ${token.name}`}
                        onClick={() => void revoke(token.id, token.name)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {confirm.element}
    </section>
  );
}

function CreateForm(props: { isAdmin: boolean; onCreated: (created: { name: string; token: string }) => void }) {
  const { api } = useApp();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [expiry, setExpiry] = useState('2592000');
  async function create(form: HTMLFormElement) {
    const data = new FormData(form);
    const scopes = data.getAll('scopes').map(String) as ('read' | 'write' | 'admin' | 'agent')[];
    const body = {
      name: String(data.get('name')),
      ...(scopes.length > 0 ? { scopes } : {}),
      ...(expiry ? { expiresInSeconds: Number(expiry) } : {}),
    };
    setBusy(true);
    setErrors({});
    try {
      const created = unwrap(await api.POST('/api/v1/tokens', { body }));
      props.onCreated({ name: created.name, token: created.token });
      form.reset();
    } catch (error) {
      setErrors(fieldErrors(error));
    } finally {
      setBusy(false);
    }
  }
  const scopesError = errors.scopes;
  return (
    <form
      class="account-form"
      aria-labelledby="create-token-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void create(event.currentTarget);
      }}
    >
      <h2 id="create-token-heading">Create a token</h2>
      <TextField id="token-name" name="name" label="Name" required error={errors.name} />
      <fieldset class="choice" aria-describedby={scopesError ? 'token-scopes-error' : undefined}>
        <legend>Scopes (none ticked: all yours but admin)</legend>
        {scopeHelp
          .filter(([scope]) => scope !== 'admin' || props.isAdmin)
          .map(([scope, help]) => (
            <label key={scope}>
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === 'read'} />
              {scope}: {help}
            </label>
          ))}
        {scopesError && (
          <p class="field-error" id="token-scopes-error">
            {scopesError}
          </p>
        )}
      </fieldset>
      <Field
        id="token-expiry"
        name="expiresInSeconds"
        label="Expires in"
        error={errors.expiresInSeconds}
        control={(control) => (
          <select {...control} value={expiry} onChange={(event) => setExpiry(event.currentTarget.value)}>
            {expiries.map(([seconds, label]) => (
              <option key={seconds} value={seconds}>
                {label}
              </option>
            ))}
          </select>
        )}
      />
      <ErrorMessage error={errors[''] ? new Error(errors['']) : undefined} />
      <button type="submit" disabled={busy}>
        Create token
      </button>
    </form>
  );
}
