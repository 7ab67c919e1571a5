// The power state machine shared by machines and groups of machines (Concertim devices and racks).
import type { Action, State } from '../../domain/states.ts';

export const powerStates: readonly State[] = [
  'pending',
  'provisioning',
  'active',
  'stopped',
  'suspended',
  'failed',
  'deleting',
  'deleted',
];

export const powerActions: Partial<Record<Action, readonly State[]>> = {
  start: ['stopped', 'failed'],
  stop: ['active', 'suspended'],
  suspend: ['active'],
  resume: ['suspended'],
  restart: ['active', 'failed'],
  destroy: ['pending', 'provisioning', 'active', 'stopped', 'suspended', 'failed'],
};
