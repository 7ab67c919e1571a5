// Bearer token secrets: random, shown once, stored only as a SHA-256 hash.
import { hash, randomBytes } from 'node:crypto';

export const tokenPrefix = 'cpt_';

export const generateTokenSecret = (): string => tokenPrefix + randomBytes(32).toString('base64url');

/** 256 random bits need no slow hash: SHA-256 is enough, and the one-shot crypto.hash keeps every request cheap. */
export const hashTokenSecret = (secret: string): string => hash('sha256', secret, 'hex');
