// Every dialect the server can mount; each is switched on or off under `dialects.<name>.enabled`.
import type { Dialect } from './dialect.ts';
import { imcDialect } from './imc/index.ts';

export const dialects: Dialect[] = [imcDialect];
