// What a kind declares: its spec schema (type, defaults, validation, OpenAPI), states, actions, driver.
import { Type, type Static, type TObject } from '@sinclair/typebox';
import type { DriverName } from '../../config/schema.ts';
import type { Action, State } from '../../domain/states.ts';

export interface KindDefinition<Spec extends TObject = TObject> {
  name: string;
  description: string;
  spec: Spec;
  /** The kinds this kind may be a child of; `required` means it must have such a parent. */
  parent?: { kinds: string[]; required: boolean };
  /** The states a resource of this kind can be in; agents' reports move between them as states.ts' reportedTransitions allows. */
  states: readonly State[];
  /** For each action, the states in which it is allowed. */
  actions: Partial<Record<Action, readonly State[]>>;
  /** Whether the spec may change after creation (a new generation for the engine to reconcile). */
  specUpdatable: boolean;
  defaultDriver: DriverName;
  /** Rules across fields that a schema cannot say; returns the problems found. */
  validate?: (spec: Static<Spec>) => string[];
  /** What a resource of this kind holds at most, counted against its team's quotas. */
  usage: (spec: Static<Spec>) => { cpus: number; memoryMiB: number };
  /**
   * What a resource of this kind bills per hour while active, in the units the price list names;
   * {} bills nothing. The spec may be partial: a removed resource is metered from its events.
   */
  billingUnits: (spec: Partial<Static<Spec>>) => Record<string, number>;
}

export const defineKind = <Spec extends TObject>(kind: KindDefinition<Spec>): KindDefinition<Spec> => kind;

/** What a dialect's client sent beyond a kind's fields (IMC's identity, PROMINENCE's requirements), kept verbatim. */
export const clientFields = Type.Record(Type.String(), Type.Unknown(), {
  maxProperties: 256,
  description: 'fields the client sent that this kind does not use, kept as sent',
});
