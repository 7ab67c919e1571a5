// Every dialect the server can mount; each is switched on or off under `dialects.<name>.enabled`.
import type { Dialect } from './dialect.ts';

export const dialects: Dialect[] = [];
