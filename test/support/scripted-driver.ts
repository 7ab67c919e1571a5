// A driver whose behaviour a test scripts (a removal that fails, an outcome no real driver gives),
// installed beside the real ones on a running test server: the engine looks drivers up per operation.
import type { Driver, KindDriver } from '../../src/drivers/driver.ts';
import { DriverRegistry } from '../../src/drivers/registry.ts';
import type { TestServer } from './server.ts';

/** Resources of kinds that `engine.drivers` maps to `name` go through `script` (active at once by default). */
export function installScriptedDriver(
  server: TestServer,
  name: string,
  script: Partial<KindDriver>,
  options: Pick<Driver, 'changesOnlyWhenTold'> = {},
): void {
  const kindDriver: KindDriver = {
    apply: async () => ({ state: 'active', message: 'applied by the scripted driver' }),
    act: async (resource, action) => ({ state: resource.state, message: `${action} done by the scripted driver` }),
    remove: async () => {},
    observe: async (resource) => ({ state: resource.state, message: 'observed by the scripted driver' }),
    ...script,
  };
  const driver: Driver = { name, forKind: () => kindDriver, start: async () => {}, stop: async () => {}, ...options };
  server.app.ctx.drivers = new DriverRegistry([...server.app.ctx.drivers.all(), driver]);
}
