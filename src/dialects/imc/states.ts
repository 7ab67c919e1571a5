// IMC's status words for the core's states: the only words IMC's clients switch on.
import type { Resource } from '../../resources/models.ts';
import type { State } from '../../domain/states.ts';
import type { ImcStatus } from './wire.ts';

/** The IMC words each state can be reported as; `imcStatusOf` picks one. */
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

/**
 * The local driver's messages for an image it cannot have here: no way to run it (no rootfs, no bwrap, no
 * podman copy), or no way to pull it (no such image, denied, registry unreachable) once retries are spent.
 * IMC says `unable` for an infrastructure no cloud could deploy.
 */
const unrunnable = /cannot be run here|^pulling image \S+ failed/;

/** `deletionStarted`: a worker has taken up the deletion (until then it is only requested). */
export function imcStatusOf(
  resource: Resource,
  deletionStarted: boolean,
): { status: ImcStatus; reason: string | null } {
  const { state, message } = resource.status;
  if (state === 'failed') {
    if (resource.metadata.deletionRequestedAt !== null) return { status: 'deletion-failed', reason: null };
    return { status: unrunnable.test(message) ? 'unable' : 'failed', reason: message };
  }
  if (state === 'stopped') return { status: 'failed', reason: message };
  if (state === 'deleting') return { status: deletionStarted ? 'deleting' : 'deletion-requested', reason: null };
  return { status: wordsOf[state][0], reason: null };
}
