// The drivers this process runs, by name; a resource names its driver when it is created.
import type { ResourceFiles } from '../resources/context.ts';
import type { Driver, KindDriver } from './driver.ts';

export class DriverRegistry {
  private readonly drivers: Map<string, Driver>;

  constructor(drivers: Driver[]) {
    this.drivers = new Map(drivers.map((driver) => [driver.name, driver]));
  }

  all(): Driver[] {
    return [...this.drivers.values()];
  }

  files(driverName: string, kind: string, stateDir: string): ResourceFiles | undefined {
    return this.drivers.get(driverName)?.files?.(kind, stateDir);
  }

  /** The driver for a resource, or an explanation of why there is none (a permanent failure). */
  kindDriver(driverName: string, kind: string): KindDriver | string {
    const driver = this.drivers.get(driverName);
    if (!driver)
      return `driver "${driverName}" is not available in this deployment (available: ${[...this.drivers.keys()].join(', ')})`;
    return driver.forKind(kind) ?? `driver "${driverName}" does not handle ${kind} resources`;
  }
}
