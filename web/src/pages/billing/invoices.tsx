// An account's invoices on the billing page: the running month's draft, then finalized and void ones, newest first.
import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { useApp } from '../../shell/context.ts';
import { useConfirm } from '../../ui/confirm.tsx';
import { dateTime } from '../../ui/format.ts';
import { money } from '../../ui/money.ts';
import { ErrorMessage } from '../../ui/problem.tsx';
import { useLoad } from '../../ui/use-load.ts';

type Invoice =
  paths['/api/v1/billing/accounts/{account}/invoices/{invoice}']['get']['responses'][200]['content']['application/json'];

const stateClass: Record<Invoice['state'], string> = {
  draft: 'state state-pending',
  final: 'state state-active',
  void: 'state state-failed',
};

/** `onLoaded` hears of every (re)load: reading the list finalizes ended months, which the usage chart then shows. */
export function InvoicesSection(props: { account: string; onLoaded: () => void }) {
  const { api, user } = useApp();
  const { account } = props;
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState<unknown>();
  const invoices = useLoad(async () => {
    const path = { account };
    const [draft, list] = await Promise.all([
      api.GET('/api/v1/billing/accounts/{account}/invoices/{invoice}', {
        params: { path: { ...path, invoice: 'draft' } },
      }),
      api.GET('/api/v1/billing/accounts/{account}/invoices', { params: { path, query: { offset: 0, limit: 500 } } }),
    ]);
    return [unwrap(draft), ...unwrap(list).items.reverse()];
  }, [account]);

  const confirm = useConfirm();
  useEffect(() => {
    if (invoices.data) props.onLoaded();
  }, [invoices.data]);

  async function voidInvoice(period: string) {
    const question = `Void the invoice of ${period}?`;
    if (!(await confirm.ask(question, 'A prepaid account gets its payment back.', 'Void'))) return;
    setError(undefined);
    try {
      unwrap(
        await api.POST('/api/v1/billing/accounts/{account}/invoices/{invoice}/void', {
          params: { path: { account, invoice: period } },
        }),
      );
    } catch (failure) {
      setError(failure);
    }
    invoices.reload();
  }

  return (
    <>
      <h2>Invoices</h2>
      <ErrorMessage error={invoices.error ?? error} />
      {invoices.data && (
        <div
          class="table-wrap"
          role="region"
          aria-label="Invoices, the running month first (scrolls sideways)"
          tabIndex={0}
        >
          <table>
            <caption class="visually-hidden">Invoices, the running month first</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">State</th>
                <th scope="col">Total</th>
                <th scope="col">Finalized</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invoices.data.map((invoice) => (
                <InvoiceRows
                  key={invoice.period}
                  invoice={invoice}
                  open={open === invoice.period}
                  toggle={() => setOpen(open === invoice.period ? undefined : invoice.period)}
                  onVoid={user.isAdmin && invoice.state === 'final' ? () => voidInvoice(invoice.period) : undefined}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {confirm.element}
    </>
  );
}

function InvoiceRows(props: { invoice: Invoice; open: boolean; toggle: () => void; onVoid?: () => Promise<void> }) {
  const { invoice, open } = props;
  const linesId = `invoice-lines-${invoice.period}`;
  return (
    <>
      <tr>
        <th scope="row">{invoice.period}</th>
        <td>
          <span class={stateClass[invoice.state]}>{invoice.state}</span>
        </td>
        <td>{money(invoice.total, invoice.currency)}</td>
        <td>{dateTime(invoice.finalizedAt)}</td>
        <td>
          <div class="actions">
            <button
              type="button"
              aria-expanded={open}
              aria-controls={linesId}
              aria-label={`Lines of ${invoice.period}`}
              onClick={props.toggle}
            >
              Lines ({invoice.lines.length})
            </button>
            {props.onVoid && (
              <button
                type="button"
                class="danger"
                aria-label={`Void invoice ${invoice.period}`}
                onClick={() => void props.onVoid?.()}
              >
                Void
              </button>
            )}
          </div>
        </td>
      </tr>
      <tr id={linesId} hidden={!open}>
        <td colSpan={5}>
          {invoice.lines.length === 0 ? (
            <p>No usage in {invoice.period}.</p>
          ) : (
            <table class="lines">
              <caption>Lines of the invoice of {invoice.period}</caption>
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Unit</th>
                  <th scope="col">Units</th>
                  <th scope="col">Hours</th>
                  <th scope="col">Price per unit-hour</th>
                  <th scope="col">Amount</th>
                </tr>
              </thead>
              <tbody>
                {invoice.lines.map((line, index) => (
                  <tr key={index}>
                    <td>
                      {line.resource.kind}/{line.resource.name}
                    </td>
                    <td>{line.unit}</td>
                    <td>{line.units}</td>
                    <td>{line.hours.toFixed(2)}</td>
                    <td>{money(line.unitPrice, invoice.currency)}</td>
                    <td>{money(line.amount, invoice.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </td>
      </tr>
    </>
  );
}
