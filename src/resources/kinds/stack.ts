// stack: a group of servers acted on together (Concertim racks, Heat stacks).
import { Type } from '@sinclair/typebox';
import { defineKind } from './kind.ts';
import { powerActions, powerStates } from './power.ts';

export const stackKind = defineKind({
  name: 'stack',
  description: 'A group of servers (its children); actions on the stack apply to every server in it.',
  spec: Type.Object(
    {
      description: Type.String({ maxLength: 1024, default: '' }),
    },
    { additionalProperties: false },
  ),
  states: powerStates,
  actions: powerActions,
  specUpdatable: true,
  defaultDriver: 'local',
  usage: () => ({ cpus: 0, memoryMiB: 0 }),
  // A stack holds nothing of its own: its servers are billed.
  billingUnits: () => ({}),
});
