// cluster: a pool of nodes that applications are deployed onto (krak8s cluster resources).
import { Type } from '@sinclair/typebox';
import { defineKind } from './kind.ts';

export const NodeShape = Type.Object(
  {
    cpus: Type.Integer({ minimum: 1, maximum: 1024, default: 1 }),
    memoryMiB: Type.Integer({ minimum: 64, maximum: 16777216, default: 1024 }),
    diskGiB: Type.Integer({ minimum: 1, maximum: 1048576, default: 10 }),
  },
  { additionalProperties: false, default: {} },
);

export const clusterKind = defineKind({
  name: 'cluster',
  description: 'A node pool of nodePoolSize nodes of one shape; applications run inside it.',
  spec: Type.Object(
    {
      nodePoolSize: Type.Integer({ minimum: 1, maximum: 10000, description: 'number of nodes (capacity slots)' }),
      node: NodeShape,
      version: Type.String({ maxLength: 64, default: '' }),
    },
    { additionalProperties: false },
  ),
  states: ['pending', 'provisioning', 'active', 'failed', 'deleting', 'deleted'],
  actions: { destroy: ['pending', 'provisioning', 'active', 'failed'] },
  specUpdatable: true,
  defaultDriver: 'local',
  usage: (spec) => ({ cpus: spec.nodePoolSize * spec.node.cpus, memoryMiB: spec.nodePoolSize * spec.node.memoryMiB }),
  billingUnits: ({ nodePoolSize = 0 }) => ({ nodeHour: nodePoolSize }),
});
