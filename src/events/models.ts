// The shape of an event (audit record and change-feed message) on the native API.
import { Type, type Static } from '@sinclair/typebox';

export const Event = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  type: Type.String({ description: 'e.g. resource.created, member.added' }),
  actor: Type.Union([Type.String(), Type.Null()], { description: 'user id of who did it' }),
  team: Type.Union([Type.String(), Type.Null()]),
  object: Type.Object({ kind: Type.String(), id: Type.String() }),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type Event = Static<typeof Event>;
