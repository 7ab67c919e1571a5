// PROMINENCE's infrastructure description as a server of the IMC team: sized by its resources, its image
// from its distribution and version, its RADL decoded for the driver, everything else kept as sent.
import type { Static } from '@sinclair/typebox';
import { invalid } from '../../domain/errors.ts';
import type { Infrastructure } from './infrastructure.ts';
import type { InfrastructureDescription } from './wire.ts';

type Description = Static<typeof InfrastructureDescription>;

/** The label naming the cloud (site) a machine was placed on; IMC reports it as `cloud`. */
export const cloudLabel = 'imc/cloud';

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeRadl(encoded: string): string {
  const compact = encoded.replace(/\s+/g, '');
  if (!base64.test(compact)) throw invalid('radl is not base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    throw invalid('radl is not base64-encoded UTF-8');
  }
}

/** The server a description asks for, on `cloud` with `image`; the kind validates sizes and defaults the rest. */
export function machineFromDescription(
  description: Description,
  placement: { cloud: string; image: string },
): Infrastructure {
  const { radl, ...kept } = description;
  const { cores, memory, disk } = description.requirements?.resources ?? {};
  const spec = {
    image: placement.image,
    ...(cores !== undefined && { cpus: cores }),
    ...(memory !== undefined && { memoryMiB: memory * 1024 }),
    ...(disk !== undefined && { diskGiB: disk }),
    ...(radl !== undefined && { radl: decodeRadl(radl) }),
    extra: kept,
  };
  return { kind: 'server', labels: { [cloudLabel]: placement.cloud }, spec };
}
