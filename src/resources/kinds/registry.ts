// The kind registry: the generic resource service asks it everything and never branches on a kind.
import type { TObject } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '../../config/load.ts';
import { nestsDeeperThan } from '../../domain/depth.ts';
import { invalid } from '../../domain/errors.ts';
import { applicationKind } from './application.ts';
import { clusterKind } from './cluster.ts';
import type { KindDefinition } from './kind.ts';
import type { UsageOf } from '../../store/db.ts';
import { jobKind } from './job.ts';
import { serverKind } from './server.ts';
import { serviceKind } from './service.ts';
import { stackKind } from './stack.ts';

export interface RegisteredKind {
  definition: KindDefinition;
  /** Applies defaults and validates; throws `invalid` naming every problem. */
  prepareSpec(spec: unknown): Record<string, unknown>;
}

/** No kind's spec needs more; deeper input is refused before anything walks it recursively. */
const maxSpecDepth = 64;

function register(definition: KindDefinition): RegisteredKind {
  const check: TypeCheck<TObject> = TypeCompiler.Compile(definition.spec);
  return {
    definition,
    prepareSpec(spec) {
      if (nestsDeeperThan(spec, maxSpecDepth))
        throw invalid(`invalid ${definition.name} spec: nested deeper than ${maxSpecDepth} levels`, { field: 'spec' });
      const withDefaults = Value.Default(definition.spec, structuredClone(spec ?? {}));
      // Check() is the compiled fast path; Errors() walks the schema again, so only for a bad spec.
      const problems = check.Check(withDefaults)
        ? []
        : [...check.Errors(withDefaults)].map((e) => `${e.path || '/'}: ${e.message}`);
      if (problems.length === 0) problems.push(...(definition.validate?.(withDefaults as never) ?? []));
      if (problems.length > 0) throw invalid(`invalid ${definition.name} spec: ${problems.join('; ')}`, { problems });
      return withDefaults as Record<string, unknown>;
    },
  };
}

export type KindRegistry = Map<string, RegisteredKind>;

export const builtInKinds = [
  clusterKind,
  applicationKind,
  serviceKind,
  jobKind,
  serverKind,
  stackKind,
] as unknown as KindDefinition[];

export const createKindRegistry = (kinds: KindDefinition[] = builtInKinds): KindRegistry =>
  new Map(kinds.map((kind) => [kind.name, register(kind)]));

/** What a resource holds by its kind; a kind no longer registered holds nothing. */
export const usageOfKinds =
  (registry: KindRegistry): UsageOf =>
  (kind, spec) =>
    registry.get(kind)?.definition.usage(spec as never) ?? { cpus: 0, memoryMiB: 0 };

/** engine.drivers may only name registered kinds: a typo would otherwise silently keep the default driver. */
export function checkDriverChoices(registry: KindRegistry, drivers: Record<string, string>): void {
  const unknown = Object.keys(drivers).find((name) => !registry.has(name));
  if (unknown)
    throw new ConfigError(
      `"engine.drivers.${unknown}": unknown key; expected one of ${[...registry.keys()].join(', ')}`,
    );
}

/** The billing units of a resource of `kind`; a kind this process does not know bills nothing. */
export const billingUnitsOf = (
  registry: KindRegistry,
  kind: string,
  spec: Record<string, unknown>,
): Record<string, number> => registry.get(kind)?.definition.billingUnits(spec) ?? {};

export function requireKind(registry: KindRegistry, name: string): RegisteredKind {
  const kind = registry.get(name);
  if (!kind)
    throw invalid(`unknown kind "${name}"; known kinds: ${[...registry.keys()].join(', ')}`, { field: 'kind' });
  return kind;
}
