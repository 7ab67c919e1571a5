// An account's credit ledger on the billing page, newest entries first, older ones a page at a time.
import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { useApp } from '../../shell/context.ts';
import { dateTime } from '../../ui/format.ts';
import { money } from '../../ui/money.ts';
import { ErrorMessage } from '../../ui/problem.tsx';

type Page = paths['/api/v1/billing/accounts/{account}/ledger']['get']['responses'][200]['content']['application/json'];

const pageSize = 50;

export function LedgerSection(props: { account: string; currency: string }) {
  const { api } = useApp();
  const { account, currency } = props;
  // The API lists oldest first with a total: the newest page starts at total - pageSize.
  const [loaded, setLoaded] = useState<{ start: number; entries: Page['items'] }>();
  const [error, setError] = useState<unknown>();
  const read = async (offset: number, limit: number) =>
    unwrap(
      await api.GET('/api/v1/billing/accounts/{account}/ledger', {
        params: { path: { account }, query: { offset, limit } },
      }),
    );

  useEffect(() => {
    setLoaded(undefined);
    setError(undefined);
    (async () => {
      const { total } = await read(0, 1);
      const start = Math.max(0, total - pageSize);
      setLoaded({ start, entries: (await read(start, pageSize)).items });
    })().catch(setError);
  }, [account]);

  async function older() {
    if (!loaded) return;
    const start = Math.max(0, loaded.start - pageSize);
    try {
      const page = await read(start, loaded.start - start);
      setLoaded({ start, entries: [...page.items, ...loaded.entries] });
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <>
      <h2>Ledger</h2>
      <ErrorMessage error={error} />
      {loaded && loaded.entries.length === 0 && <p>No entries yet.</p>}
      {loaded && loaded.entries.length > 0 && (
        <div class="table-wrap" role="region" aria-label="Ledger entries, newest first (scrolls sideways)" tabIndex={0}>
          <table>
            <caption class="visually-hidden">Ledger entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Type</th>
                <th scope="col">Amount</th>
                <th scope="col">Reason</th>
                <th scope="col">Reference</th>
              </tr>
            </thead>
            <tbody>
              {[...loaded.entries].reverse().map((entry) => (
                <tr key={entry.id}>
                  <td>{dateTime(entry.createdAt)}</td>
                  <td>{entry.type}</td>
                  <td class={entry.amount < 0 ? 'negative' : undefined}>{money(entry.amount, currency)}</td>
                  <td>{entry.reason}</td>
                  <td class="mono">{entry.reference}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loaded && loaded.start > 0 && (
        <button type="button" onClick={() => void older()}>
          Show older entries
        </button>
      )}
    </>
  );
}
