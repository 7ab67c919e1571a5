// SSH key pairs: generate one (its private key is offered once, to download), import a public key, delete.
import { useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import { fieldErrors } from '../../api/problems.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { useConfirm } from '../../ui/confirm.tsx';
import { dateTime } from '../../ui/format.ts';
import { ErrorMessage } from '../../ui/problem.tsx';
import { saveBlob } from '../../ui/download.ts';
import { Field, TextField } from '../../ui/field.tsx';
import { useLoad } from '../../ui/use-load.ts';
import '../account/account.css';

/** A generated private key, held in memory only until it is downloaded or discarded. */
interface OneTimeKey {
  name: string;
  privateKey: string;
}

export function KeyPairsPage(_props: PageProps) {
  const { api } = useApp();
  const keys = useLoad(async () => unwrap(await api.GET('/api/v1/keypairs')).items, []);
  const [offered, setOffered] = useState<OneTimeKey>();
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<unknown>();
  const confirm = useConfirm();

  async function remove(name: string) {
    const yes = await confirm.ask(`Delete key pair ${name}?`, 'Servers made with it keep it.', 'Delete');
    if (!yes) return;
    setError(undefined);
    try {
      unwrap(await api.DELETE('/api/v1/keypairs/{keypair}', { params: { path: { keypair: name } } }));
    } catch (failure) {
      setError(failure);
    }
    keys.reload();
  }

  return (
    <section>
      <h1 tabIndex={-1}>Key pairs</h1>
      <p>SSH keys for servers. A generated private key is shown only once: cloudplane never stores it.</p>
      {offered && (
        <div class="notice one-time" role="status">
          <p>
            Key pair <strong>{offered.name}</strong> generated. Download its private key now: it is offered only this
            once.
          </p>
          <div class="actions">
            <button
              type="button"
              class="primary"
              onClick={() => {
                saveBlob(new Blob([offered.privateKey], { type: 'application/x-pem-file' }), `${offered.name}.key`);
                setSaved(offered.name);
                setOffered(undefined);
              }}
            >
              Download private key
            </button>
            <button type="button" onClick={() => setOffered(undefined)}>
              Discard it
            </button>
          </div>
        </div>
      )}
      {saved && !offered && (
        <p role="status">
          The private key of {saved} was downloaded as {saved}.key; it is no longer anywhere in the console.
        </p>
      )}
      <GenerateForm
        onGenerated={(key) => {
          setSaved(undefined);
          setOffered(key);
          keys.reload();
        }}
      />
      <ImportForm onImported={keys.reload} />
      <h2>Your key pairs</h2>
      <ErrorMessage error={keys.error ?? error} />
      {keys.data && keys.data.length === 0 && <p>No key pairs yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <div class="table-wrap" role="region" aria-label="Your key pairs (scrolls sideways)" tabIndex={0}>
          <table>
            <caption class="visually-hidden">Your key pairs</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>{key.type}</td>
                  <td class="mono">{key.fingerprint}</td>
                  <td>{dateTime(key.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Delete key pair ${key.name}`}
                      onClick={() => void remove(key.name)}
                    >
                      Delete
                    </button>
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

function GenerateForm(props: { onGenerated: (key: OneTimeKey) => void }) {
  const { api } = useApp();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function generate(form: HTMLFormElement) {
    const data = new FormData(form);
    const type: 'rsa' | 'ed25519' = data.get('type') === 'rsa' ? 'rsa' : 'ed25519';
    const body = { name: String(data.get('name')), type };
    setBusy(true);
    setErrors({});
    try {
      const created = unwrap(await api.POST('/api/v1/keypairs', { body }));
      if ('privateKey' in created) props.onGenerated({ name: created.name, privateKey: created.privateKey });
      form.reset();
    } catch (error) {
      setErrors(fieldErrors(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      class="account-form"
      aria-labelledby="generate-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void generate(event.currentTarget);
      }}
    >
      <h2 id="generate-heading">Generate a key pair</h2>
      <TextField id="generate-name" name="name" label="Name" required error={errors.name} />
      <div class="field">
        <label for="generate-type">Type</label>
        <select id="generate-type" name="type">
          <option value="ed25519">ed25519</option>
          <option value="rsa">RSA, 3072 bits</option>
        </select>
      </div>
      <ErrorMessage error={errors[''] || errors.type ? new Error(errors[''] ?? errors.type) : undefined} />
      <button type="submit" disabled={busy}>
        Generate
      </button>
    </form>
  );
}

function ImportForm(props: { onImported: () => void }) {
  const { api } = useApp();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string>();
  async function importKey(form: HTMLFormElement) {
    const data = new FormData(form);
    const body = { name: String(data.get('name')), publicKey: String(data.get('publicKey')).trim() };
    setErrors({});
    setDone(undefined);
    try {
      const created = unwrap(await api.POST('/api/v1/keypairs', { body }));
      setDone(`Imported ${created.name} (${created.fingerprint}).`);
      form.reset();
      props.onImported();
    } catch (error) {
      setErrors(fieldErrors(error));
    }
  }
  return (
    <form
      class="account-form"
      aria-labelledby="import-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void importKey(event.currentTarget);
      }}
    >
      <h2 id="import-heading">Import a public key</h2>
      <TextField id="import-name" name="name" label="Name" required error={errors.name} />
      <Field
        id="import-key"
        name="publicKey"
        label="OpenSSH public key"
        error={errors.publicKey}
        control={(control) => <textarea {...control} rows={3} required placeholder="ssh-ed25519 AAAA... you@laptop" />}
      />
      <ErrorMessage error={errors[''] ? new Error(errors['']) : undefined} />
      {done && <p role="status">{done}</p>}
      <button type="submit">Import</button>
    </form>
  );
}
