// The resource envelope on the native API: metadata, spec (the kind's schema), status.
import { Type, type Static } from '@sinclair/typebox';
import { StateName } from '../domain/states.ts';

export const ResourceName = Type.String({
  pattern: '^[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$',
  description: '1-128 letters, digits, . _ -; starts and ends alphanumeric',
});

const labelKey = '^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$';
const labelValue = '^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$';
export const labelKeyPattern = new RegExp(labelKey);
export const labelValuePattern = new RegExp(labelValue);

export const Labels = Type.Record(Type.String({ pattern: labelKey }), Type.String({ pattern: labelValue }), {
  maxProperties: 64,
  additionalProperties: false,
  description: 'key=value labels, matched by label selectors',
});

export const Condition = Type.Object({
  type: Type.String(),
  status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
  reason: Type.String(),
  message: Type.String(),
  lastTransitionTime: Type.String(),
});

export const ResourceStatus = Type.Object({
  state: StateName,
  message: Type.String(),
  conditions: Type.Array(Condition),
  observedGeneration: Type.Integer(),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'driver-specific observations' }),
});
export type ResourceStatus = Static<typeof ResourceStatus>;

export const ResourceMetadata = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  team: Type.String({ description: 'team id' }),
  namespace: Type.Union([Type.String(), Type.Null()], { description: 'namespace id' }),
  parent: Type.Union([Type.String(), Type.Null()], { description: 'parent resource id' }),
  labels: Type.Record(Type.String(), Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  generation: Type.Integer(),
  resourceVersion: Type.String(),
  deletionRequestedAt: Type.Union([Type.String(), Type.Null()]),
});

export const Resource = Type.Object({
  metadata: ResourceMetadata,
  spec: Type.Record(Type.String(), Type.Unknown()),
  status: ResourceStatus,
});
export type Resource = Static<typeof Resource>;
