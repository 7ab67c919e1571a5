// What the engine is handed (types only): the resource context with the drivers it runs.
import type { DriverRegistry } from '../drivers/registry.ts';
import type { ResourceContext } from '../resources/context.ts';

export interface EngineContext extends ResourceContext {
  drivers: DriverRegistry;
}
