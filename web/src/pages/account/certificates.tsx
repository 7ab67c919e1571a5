// User certificates for mutual TLS: download a new one (a zip of key, certificate and CA certificate), list them.
import { useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { useConfirm } from '../../ui/confirm.tsx';
import { dateTime } from '../../ui/format.ts';
import { ErrorMessage } from '../../ui/problem.tsx';
import { attachmentName, saveBlob } from '../../ui/download.ts';
import { useLoad } from '../../ui/use-load.ts';
import '../account/account.css';

export function CertificatesPage(_props: PageProps) {
  const { api, user } = useApp();
  const certificates = useLoad(
    async () => unwrap(await api.GET('/api/v1/pki/certificates', { params: { query: { limit: 200 } } })).items,
    [],
  );
  const [issued, setIssued] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const confirm = useConfirm();

  async function download() {
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.POST('/api/v1/pki/users/{user}/certificates', {
        params: { path: { user: user.username } },
        parseAs: 'blob',
      });
      const zip = unwrap(result) as unknown as Blob;
      saveBlob(zip, attachmentName(result.response, 'certs.zip'));
      setIssued(result.response.headers.get('x-certificate-serial') ?? '');
      certificates.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(serial: string) {
    const question = `Revoke certificate ${serial}?`;
    if (!(await confirm.ask(question, 'It is refused from now on and listed in the CRL.', 'Revoke'))) return;
    setError(undefined);
    try {
      unwrap(await api.POST('/api/v1/pki/certificates/{serial}/revoke', { params: { path: { serial } } }));
    } catch (failure) {
      setError(failure);
    }
    certificates.reload();
  }

  return (
    <section>
      <h1 tabIndex={-1}>Certificates</h1>
      <p>
        A user certificate signs you in with mutual TLS (as ConPaaS clients do). Each download issues a new one: a zip
        of <code>key.pem</code>, <code>cert.pem</code> and <code>ca_cert.pem</code>. The key is made for that download
        and kept nowhere else.
      </p>
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={() => void download()}>
          Download a new certificate
        </button>
      </div>
      {issued !== undefined && <p role="status">Certificate {issued} issued and downloaded as certs.zip.</p>}
      <ErrorMessage error={error ?? certificates.error} />
      <h2>{user.isAdmin ? 'All certificates' : 'Your certificates'}</h2>
      {certificates.data && certificates.data.length === 0 && <p>No certificates yet.</p>}
      {certificates.data && certificates.data.length > 0 && (
        <div class="table-wrap" role="region" aria-label="Certificates (scrolls sideways)" tabIndex={0}>
          <table>
            <caption class="visually-hidden">Certificates</caption>
            <thead>
              <tr>
                <th scope="col">Serial</th>
                <th scope="col">Subject</th>
                <th scope="col">State</th>
                <th scope="col">Valid until</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {certificates.data.map((certificate) => (
                <tr key={certificate.serial}>
                  <td class="mono">{certificate.serial}</td>
                  <td class="wrap">{certificate.subject}</td>
                  <td>
                    <span class={`state state-${certificate.state === 'valid' ? 'active' : 'failed'}`}>
                      {certificate.state}
                    </span>
                  </td>
                  <td>{dateTime(certificate.notAfter)}</td>
                  <td>
                    {certificate.state === 'valid' && (
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Revoke certificate ${certificate.serial}`}
                        onClick={() => void revoke(certificate.serial)}
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
