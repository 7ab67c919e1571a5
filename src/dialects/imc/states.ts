// Translates between IMC's words and the core's: a deploy body to a job, a job's state to an IMC status.
import type { Static } from '@sinclair/typebox';
import { invalid } from '../../domain/errors.ts';
import type { Resource } from '../../resources/models.ts';
import type { NewResource } from '../../resources/resources.ts';
import type { State } from '../../resources/states.ts';
import type { DeployBody, ImcStatus } from './wire.ts';

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

/** The IMC words each state can be reported as; `describe` picks one. */
export const wordsOf: Record<State, readonly ImcStatus[]> = {
  pending: ['accepted'],
  provisioning: ['creating'],
  active: ['configured'],
  // An IMC infrastructure stays configured until it is deleted: IMC has no word for a finished job.
  succeeded: ['configured'],
  suspended: ['configured'],
  stopped: ['failed'],
  failed: ['failed', 'unable', 'deletion-failed'],
  deleting: ['deletion-requested', 'deleting'],
  deleted: ['deleted'],
};

/** The local driver's message for an image it has no way to run (no rootfs, no bwrap, no podman copy). */
const unrunnable = /cannot be run here/;

/** `deletionStarted`: a worker has taken up the deletion (until then it is only requested). */
export function imcStatusOf(resource: Resource, deletionStarted: boolean): { status: ImcStatus; reason: string | null } {
  const { state, message } = resource.status;
  if (state === 'failed') {
    if (resource.metadata.deletionRequestedAt !== null) return { status: 'deletion-failed', reason: null };
    return { status: unrunnable.test(message) ? 'unable' : 'failed', reason: message };
  }
  if (state === 'stopped') return { status: 'failed', reason: message };
  if (state === 'deleting') return { status: deletionStarted ? 'deleting' : 'deletion-requested', reason: null };
  return { status: wordsOf[state][0], reason: null };
}

/** The driver's own handle where it has one (a Slurm job id), else the job's id; none before anything ran. */
export function infraIdOf(resource: Resource): string | null {
  if (resource.status.state === 'pending') return null;
  const slurmJobId = resource.status.details.slurmJobId;
  return slurmJobId === undefined ? resource.metadata.id : String(slurmJobId);
}

export const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
