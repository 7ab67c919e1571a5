// The seed's deploy body, the job table, as a job of the IMC team; what the table does not name is kept as sent.
import type { Static } from '@sinclair/typebox';
import { invalid } from '../../domain/errors.ts';
import { jobKind } from '../../resources/kinds/job.ts';
import type { Infrastructure } from './infrastructure.ts';
import type { JobTable } from './wire.ts';

const tableFields = new Set(Object.keys(jobKind.spec.properties).filter((field) => field !== 'extra'));

function labelsOf(pairs: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
    if (name.startsWith('imc/')) throw invalid(`label ${name}: the imc/ prefix is reserved`);
    if (name in labels) throw invalid(`label ${name} is given twice`);
    labels[name] = value;
  }
  return labels;
}

/** The job a job table asks for; the job kind validates the spec (base64, env, paths) when it is created. */
export function jobFromTable(table: Static<typeof JobTable>): Infrastructure {
  const { labels, ...fields } = table;
  const spec: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) (tableFields.has(field) ? spec : extra)[field] = value;
  if (Object.keys(extra).length > 0) spec.extra = extra;
  return { kind: 'job', labels: labelsOf(labels ?? []), spec };
}
