// Billing of an account (yours or a team's): its balance, a chart of usage per month and kind, invoices, the ledger.
import { unwrap } from '../../api/client.ts';
import { navigate } from '../../router.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { money } from '../../ui/money.ts';
import { ErrorMessage } from '../../ui/problem.tsx';
import { useLoad } from '../../ui/use-load.ts';
import '../account/account.css';
import { InvoicesSection } from './invoices.tsx';
import { LedgerSection } from './ledger.tsx';
import { UsageChart, UsageTable } from './usage-chart.tsx';

const spans = [6, 12, 24, 36];

/** The first month of a span of `months` ending with the running one, YYYY-MM (UTC). */
function spanStart(months: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1)).toISOString().slice(0, 7);
}

export function BillingPage(props: PageProps) {
  const { api, team } = useApp();
  const account = props.query.get('account') ?? (team ? `team:${team}` : 'me');
  const months = spans.includes(Number(props.query.get('months'))) ? Number(props.query.get('months')) : 12;
  const show = (next: { account?: string; months?: number }) =>
    navigate(
      `/billing?${new URLSearchParams({ account: next.account ?? account, months: String(next.months ?? months) })}`,
      { replace: true },
    );
  const path = { account };
  const teams = useLoad(async () => unwrap(await api.GET('/api/v1/teams', { params: { query: { limit: 500 } } })), []);
  const balance = useLoad(
    async () => unwrap(await api.GET('/api/v1/billing/accounts/{account}', { params: { path } })),
    [account],
  );
  const usage = useLoad(
    async () =>
      unwrap(
        await api.GET('/api/v1/billing/accounts/{account}/usage', {
          params: { path, query: { from: spanStart(months) } },
        }),
      ),
    [account, months],
  );
  const names = teams.data?.items.map((item) => item.name) ?? [];
  const current = account.startsWith('team:') ? account.slice(5) : undefined;
  if (current && !names.includes(current)) names.unshift(current);

  return (
    <section>
      <h1 tabIndex={-1}>Billing</h1>
      <div class="filters">
        <div class="field">
          <label for="billing-account">Account</label>
          <select
            id="billing-account"
            value={account}
            onChange={(event) => show({ account: event.currentTarget.value })}
          >
            <option value="me">Your own</option>
            {names.map((name) => (
              <option key={name} value={`team:${name}`}>
                Team {name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorMessage error={balance.error} />
      {balance.data && (
        <dl class="facts">
          <dt>Balance</dt>
          <dd>
            <strong>{money(balance.data.balance, balance.data.currency)}</strong>
          </dd>
          <dt>Pays</dt>
          <dd>{balance.data.prepaid ? 'in advance (prepaid: usage is taken from the balance)' : 'by invoice'}</dd>
          <dt>Owner</dt>
          <dd>
            {balance.data.owner.type} {balance.data.owner.name}
          </dd>
        </dl>
      )}

      <h2 id="usage-heading">Usage per month</h2>
      <div class="filters">
        <div class="field">
          <label for="usage-span">Months shown</label>
          <select
            id="usage-span"
            value={String(months)}
            onChange={(event) => show({ months: Number(event.currentTarget.value) })}
          >
            {spans.map((span) => (
              <option key={span} value={String(span)}>
                the last {span}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorMessage error={usage.error} />
      {usage.data && (
        <>
          <UsageChart usage={usage.data} />
          <details class="usage-details">
            <summary>The chart's figures as a table</summary>
            <UsageTable usage={usage.data} />
          </details>
        </>
      )}

      {balance.data && <InvoicesSection account={account} onLoaded={usage.reload} />}
      {balance.data && <LedgerSection account={account} currency={balance.data.currency} />}
    </section>
  );
}
