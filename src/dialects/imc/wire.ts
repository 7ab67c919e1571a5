// IMC's wire shapes: the deploy body (the PROMINENCE job table, image required) and its answers.
import { Type } from '@sinclair/typebox';
import { jobKind } from '../../resources/kinds/job.ts';

export const statuses = [
  'accepted',
  'creating',
  'configured',
  'waiting',
  'unable',
  'failed',
  'deletion-requested',
  'deleting',
  'deleted',
  'deletion-failed',
] as const;
export type ImcStatus = (typeof statuses)[number];

const nameValue = Type.String({ pattern: '^[^=]+=.*$', maxLength: 8192, description: 'name=value' });

/** The job table is the job kind's spec (one declaration); IMC requires the image and adds labels and identity. */
export const DeployBody = Type.Composite(
  [
    Type.Omit(Type.Partial(jobKind.spec), ['image']),
    Type.Object({
      image: Type.String({ minLength: 1, maxLength: 1024, description: 'container image name' }),
      labels: Type.Optional(Type.Array(nameValue, { maxItems: 64, description: 'name=value labels, kept as the job\'s metadata.labels' })),
      identity: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'the owner, reported by the list; a label value: letters, digits, . _ -' })),
    }),
  ],
  { additionalProperties: false },
);

export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const IdParams = Type.Object({ id: Id });

export const Deployed = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const Description = Type.Object({
  status: Type.String({ description: statuses.join(', ') }),
  status_reason: Type.Union([Type.String(), Type.Null()], { description: 'set only when status is unable or failed' }),
  cloud: Type.Union([Type.String(), Type.Null()], { description: 'the driver running it: local or slurm' }),
  infra_id: Type.Union([Type.String(), Type.Null()], { description: "the driver's handle (Slurm job id, else the job's id); null while accepted" }),
});

export const ListQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 64, description: `one of ${statuses.join(', ')}; required` })),
  cloud: Type.Optional(Type.String({ maxLength: 64 })),
});

/** IMC's `type=im` destroys an IM infrastructure by its IM id: nothing here answers to that. */
export const DeleteQuery = Type.Object({
  type: Type.Optional(Type.String({ maxLength: 64, description: 'not served: any value is 400 {}' })),
  cloud: Type.Optional(Type.String({ maxLength: 64 })),
});

export const Listed = Type.Array(
  Type.Object({
    id: Type.String(),
    created: Type.Integer({ description: 'seconds since the epoch' }),
    updated: Type.Integer({ description: 'seconds since the epoch' }),
    identity: Type.Union([Type.String(), Type.Null()]),
  }),
);

export const ErrorAnswer = Type.Object({ error: Type.String() });
export const Refused = Type.Object({
  id: Type.String({ format: 'uuid', description: "IMC's answer when it cannot store the record: the id it would have had; nothing is kept under it" }),
  error: Type.String({ description: 'why (not in IMC)' }),
});
export const Invalid = Type.Object({ status: Type.Literal('invalid') });
export const Empty = Type.Object({});
