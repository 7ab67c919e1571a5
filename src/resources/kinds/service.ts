// service: an instance of a catalogue service type (ConPaaS services, okeanos lambda instances).
import { Type } from '@sinclair/typebox';
import { defineKind } from './kind.ts';

export const serviceKind = defineKind({
  name: 'service',
  description: 'A running instance of a service type from the configured catalogue.',
  spec: Type.Object(
    {
      type: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,62}$', description: 'catalogue service type, e.g. php' }),
      displayName: Type.String({ maxLength: 256, default: '', description: 'free text; renaming changes only this' }),
      cloud: Type.String({ maxLength: 64, default: 'default' }),
      info: Type.Record(Type.String(), Type.Unknown(), { default: {}, description: 'type-specific settings' }),
    },
    { additionalProperties: false },
  ),
  states: ['pending', 'provisioning', 'active', 'stopped', 'failed', 'deleting', 'deleted'],
  actions: {
    start: ['stopped', 'failed'],
    stop: ['active', 'provisioning'],
    restart: ['active', 'failed'],
    destroy: ['pending', 'provisioning', 'active', 'stopped', 'failed'],
  },
  specUpdatable: true,
  defaultDriver: 'local',
  usage: () => ({ cpus: 1, memoryMiB: 0 }),
  billingUnits: () => ({ hour: 1 }),
});
