// The okeanos wire shapes (TypeBox): request bodies, the status envelope, lists, counts and error bodies.
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';

export const StatusEnvelope = (data: TSchema) =>
  Type.Object({ status: Type.Object({ code: Type.Integer(), short_description: Type.String() }), data });

export const ErrorsBody = Type.Object(
  { errors: Type.Array(Type.Object({ status: Type.Integer(), detail: Type.String() })) },
  { description: 'okeanos errors' },
);
export const DetailBody = Type.Object(
  { detail: Type.String() },
  { description: "DRF's own errors (missing credentials, unparsable body)" },
);
export const errorResponses = {
  400: ErrorsBody,
  401: Type.Union([ErrorsBody, DetailBody]),
  404: ErrorsBody,
  409: ErrorsBody,
};

export const StatusCode = Type.Union([Type.String(), Type.Integer()], {
  description: 'an okeanos status code, "0", "1", ...',
});
const Text = Type.Union([Type.String(), Type.Null()]);
export const UuidParams = Type.Object({ uuid: Type.String() });

/** The fields every create body has; each record family adds its own (instance_info, description). */
export const CreateBody = (extra: TObject) =>
  Type.Composite([
    Type.Object({
      uuid: Type.String({ description: 'chosen by the service VM' }),
      name: Type.String(),
      status: StatusCode,
      failure_message: Text,
    }),
    extra,
  ]);
export type CreateBody = { uuid: string; name: string; status: unknown; failure_message: string | null } & Record<
  string,
  unknown
>;

export const StatusUpdateBody = Type.Object({ status: StatusCode, failure_message: Type.Optional(Text) });
export type StatusUpdateBody = Static<typeof StatusUpdateBody>;

export const Accepted = StatusEnvelope(Type.Object({ id: Type.String() }));

export const InstanceItem = Type.Object({
  uuid: Type.String(),
  name: Type.String(),
  instance_info: Type.String(),
  status: Type.String(),
  failure_message: Type.String(),
});
export const ApplicationItem = Type.Object({
  uuid: Type.String(),
  description: Type.String(),
  name: Type.String(),
  status: Type.String(),
  failure_message: Type.String(),
});

const Link = Type.Union([Type.String(), Type.Null()]);
export const ListBody = (item: TObject) =>
  Type.Object({
    data: Type.Array(item),
    pagination: Type.Optional(
      Type.Object({ count: Type.Integer(), previous: Link, next: Link }, { description: 'only with ?limit' }),
    ),
    status: Type.Object({ code: Type.Integer(), short_description: Type.String() }),
  });

/** DRF LimitOffsetPagination's parameters, checked by hand with its messages (pagination.ts). */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Unknown({ description: 'an integer >= 0' })),
  offset: Type.Optional(Type.Unknown({ description: 'an integer >= 0' })),
});

const number = Type.String({ description: 'a number, as a string' });
/** `countsForm: seed` answers `data` as one object, `devel` as a one-element list (the later central service). */
export const CountBody = (devel: TObject) =>
  StatusEnvelope(Type.Union([Type.Object({ count: number }), Type.Array(devel)]));
export const UsersCountBody = CountBody(Type.Object({ count: number }));
export const InstancesCountBody = CountBody(
  Type.Object({ running_lambda_instances: number, created_lambda_instances: number }),
);
export const ApplicationsCountBody = CountBody(
  Type.Object({ uploaded_applications: number, running_applications: number }),
);

/** The later central service's answer to increment_started/decrement_started: no envelope, no data. */
export const CounterAnswer = Type.Object({ code: Type.Integer(), short_description: Type.String() });
export const AuthenticateAnswer = Type.Object({ status: Type.Integer(), result: Type.Literal('Success') });
