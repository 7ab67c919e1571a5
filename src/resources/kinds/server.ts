// server: one machine with a power state (Concertim devices), optionally part of a stack.
import { Type } from '@sinclair/typebox';
import { clientFields, defineKind } from './kind.ts';
import { powerActions, powerStates } from './power.ts';

export const serverKind = defineKind({
  name: 'server',
  description: 'A machine with a power state: on, off, suspended; the local driver supervises a process for it.',
  parent: { kinds: ['stack'], required: false },
  spec: Type.Object(
    {
      image: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
      command: Type.Optional(
        Type.Array(Type.String(), { minItems: 1, description: 'the process the local driver supervises' }),
      ),
      flavor: Type.String({ maxLength: 64, default: '' }),
      cpus: Type.Integer({ minimum: 1, maximum: 1024, default: 1 }),
      memoryMiB: Type.Integer({ minimum: 64, maximum: 16777216, default: 1024 }),
      diskGiB: Type.Integer({ minimum: 1, maximum: 1048576, default: 10 }),
      keyPair: Type.Optional(Type.String({ maxLength: 64, description: 'name of one of your SSH key pairs' })),
      radl: Type.Optional(
        Type.String({
          maxLength: 1048576,
          description: "the machine's RADL (IM's description language) as its client wrote it, for the driver",
        }),
      ),
      extra: Type.Optional(clientFields),
    },
    { additionalProperties: false },
  ),
  states: powerStates,
  actions: powerActions,
  specUpdatable: true,
  defaultDriver: 'local',
  usage: (spec) => ({ cpus: spec.cpus, memoryMiB: spec.memoryMiB }),
  billingUnits: ({ cpus = 0, memoryMiB = 0 }) => ({ cpuHour: cpus, memoryGiBHour: memoryMiB / 1024 }),
});
