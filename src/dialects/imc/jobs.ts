// The seed's deploy body, PROMINENCE's job table, as a job of the IMC team.
import type { Static } from '@sinclair/typebox';
import { invalid } from '../../domain/errors.ts';
import type { NewResource } from '../../resources/resources.ts';
import type { DeployBody } from './wire.ts';

/** The label that carries IMC's `identity`; user labels may not use the `imc/` prefix. */
export const identityLabel = 'imc/identity';

function labelsOf(pairs: string[], identity: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
    if (name.startsWith('imc/')) throw invalid(`label ${name}: the imc/ prefix is reserved`);
    if (name in labels) throw invalid(`label ${name} is given twice`);
    labels[name] = value;
  }
  if (identity !== undefined) labels[identityLabel] = identity;
  return labels;
}

/** The job a deploy body asks for; the job kind validates the spec (base64, env, paths) when it is created. */
export function jobFromDeploy(id: string, body: Static<typeof DeployBody>): NewResource {
  const { labels, identity, ...spec } = body;
  return { id, kind: 'job', name: `imc-${id}`, labels: labelsOf(labels ?? [], identity), spec };
}
