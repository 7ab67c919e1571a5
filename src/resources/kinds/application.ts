// application: a chart or program deployed onto a cluster (krak8s applications).
import { Type } from '@sinclair/typebox';
import { defineKind } from './kind.ts';

export const applicationKind = defineKind({
  name: 'application',
  description: 'A packaged application (chart) deployed onto its parent cluster.',
  parent: { kinds: ['cluster'], required: true },
  spec: Type.Object(
    {
      chart: Type.String({ minLength: 1, maxLength: 253, description: 'chart or package name' }),
      version: Type.String({ maxLength: 128, default: '' }),
      registry: Type.String({ maxLength: 253, default: '' }),
      server: Type.String({ maxLength: 253, default: '' }),
      channel: Type.String({ maxLength: 64, default: 'stable' }),
      deploymentName: Type.String({ maxLength: 253, default: '' }),
      set: Type.String({ maxLength: 4096, default: '', description: 'helm-style key=value,... overrides' }),
      values: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
      command: Type.Optional(
        Type.Array(Type.String(), { minItems: 1, description: 'the process the local driver runs for it' }),
      ),
      replicas: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
      cpus: Type.Integer({ minimum: 1, maximum: 1024, default: 1 }),
      memoryMiB: Type.Integer({ minimum: 16, maximum: 16777216, default: 256 }),
    },
    { additionalProperties: false },
  ),
  states: ['pending', 'provisioning', 'active', 'stopped', 'failed', 'deleting', 'deleted'],
  actions: {
    start: ['stopped', 'failed'],
    stop: ['active'],
    restart: ['active', 'failed'],
    destroy: ['pending', 'provisioning', 'active', 'stopped', 'failed'],
  },
  specUpdatable: true,
  defaultDriver: 'local',
  // An application runs inside its cluster's capacity, which the cluster already counts.
  usage: () => ({ cpus: 0, memoryMiB: 0 }),
  billingUnits: ({ replicas = 0, cpus = 0, memoryMiB = 0 }) => ({
    replicaHour: replicas,
    cpuHour: replicas * cpus,
    memoryGiBHour: (replicas * memoryMiB) / 1024,
  }),
});
