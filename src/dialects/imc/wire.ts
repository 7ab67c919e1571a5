// IMC's wire shapes: the two deploy bodies (the seed's job table, PROMINENCE's infrastructure description) and the answers.
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

/** IMC's identity: whoever the infrastructure is for (an e-mail address, an OIDC subject...), any string. */
const Identity = Type.Union([Type.String(), Type.Null()], {
  description: 'the owner, reported by the list; any string',
});

/** The seed's job table is the job kind's spec (one declaration); IMC requires the image and adds labels and identity. */
export const JobTable = Type.Composite(
  [
    Type.Omit(Type.Partial(jobKind.spec), ['image', 'extra']),
    Type.Object({
      image: Type.String({ minLength: 1, maxLength: 1024, description: 'container image name' }),
      labels: Type.Optional(
        Type.Array(nameValue, { maxItems: 64, description: "name=value labels, kept as the job's metadata.labels" }),
      ),
      identity: Type.Optional(Identity),
    }),
  ],
  {
    additionalProperties: true,
    description: "the seed's job table: a job; keys not in the table are kept in spec.extra",
  },
);

const names = (what: string) => Type.Array(Type.String({ maxLength: 256 }), { maxItems: 256, description: what });
// PROMINENCE sends {} for a preference its job's placement policy overrides.
const ranked = (what: string) => Type.Union([names(what), Type.Object({}, { maxProperties: 0 })]);
const open = { additionalProperties: true } as const;

/** PROMINENCE's infrastructure description: a machine (a server) on one of the clouds (sites) offered here. */
export const InfrastructureDescription = Type.Object(
  {
    requirements: Type.Optional(
      Type.Object(
        {
          image: Type.Optional(
            Type.Object(
              {
                distribution: Type.Optional(Type.String({ maxLength: 256 })),
                version: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Number()])),
                type: Type.Optional(Type.String({ maxLength: 256 })),
                architecture: Type.Optional(Type.String({ maxLength: 256 })),
              },
              open,
            ),
          ),
          resources: Type.Optional(
            Type.Object(
              {
                cores: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
                memory: Type.Optional(Type.Integer({ minimum: 1, maximum: 16384, description: 'GB' })),
                disk: Type.Optional(Type.Integer({ minimum: 1, maximum: 1048576, description: 'GB' })),
              },
              open,
            ),
          ),
          regions: Type.Optional(names('the machine must be in one of these regions (empty names require nothing)')),
          sites: Type.Optional(names('the machine must be on one of these sites (empty names require nothing)')),
          groups: Type.Optional(names("the caller's groups, for sites that serve only some")),
          tags: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        },
        open,
      ),
    ),
    preferences: Type.Optional(
      Type.Object(
        {
          regions: Type.Optional(ranked('regions, most wanted first')),
          sites: Type.Optional(ranked('sites, most wanted first')),
        },
        open,
      ),
    ),
    radl: Type.Optional(
      Type.String({ maxLength: 1398104, description: 'the RADL, base64-encoded UTF-8; decoded into spec.radl' }),
    ),
    identifier: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: "the client's own name for it (PROMINENCE: its job id)",
      }),
    ),
    identity: Type.Optional(Identity),
    want: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    dryrun: Type.Optional(
      Type.Unknown({ description: 'present (any value): answer the candidate sites, deploy nothing' }),
    ),
  },
  {
    ...open,
    description: "PROMINENCE's infrastructure description: a server; every key but radl is kept in spec.extra",
  },
);

export const DeployBody = Type.Union([JobTable, InfrastructureDescription], {
  description: 'a body with requirements or radl is an infrastructure description, any other the job table',
});

export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const IdParams = Type.Object({ id: Id });

export const Deployed = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const DryRun = Type.Object({
  sites: Type.Array(Type.String(), { description: 'the sites that could take it, best first' }),
});

export const Description = Type.Object({
  status: Type.String({ description: statuses.join(', ') }),
  status_reason: Type.Union([Type.String(), Type.Null()], { description: 'set only when status is unable or failed' }),
  cloud: Type.Union([Type.String(), Type.Null()], { description: 'the driver running it: local or slurm' }),
  infra_id: Type.Union([Type.String(), Type.Null()], {
    description: "the driver's handle (Slurm job id, else the job's id); null while accepted",
  }),
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
  id: Type.String({
    format: 'uuid',
    description: "IMC's answer when it cannot store the record: the id it would have had; nothing is kept under it",
  }),
  error: Type.String({ description: 'why (not in IMC)' }),
});
export const Invalid = Type.Object({ status: Type.Literal('invalid') });
export const Empty = Type.Object({});
/** The real server answers {} where it refuses a query; we add why when there is more to say (a body it cannot read). */
export const MaybeWhy = Type.Object({ error: Type.Optional(Type.String()) });
