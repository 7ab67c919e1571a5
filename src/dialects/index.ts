// Every dialect the server can mount; each is switched on or off under `dialects.<name>.enabled`.
import type { Dialect } from './dialect.ts';
import { concertimDialect } from './concertim/index.ts';
import { conpaasDialect } from './conpaas/index.ts';
import { imcDialect } from './imc/index.ts';
import { krak8sDialect } from './krak8s/index.ts';
import { okeanosDialect } from './okeanos/index.ts';

export const dialects: Dialect[] = [concertimDialect, conpaasDialect, imcDialect, krak8sDialect, okeanosDialect];
