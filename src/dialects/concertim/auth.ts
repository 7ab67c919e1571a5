// The JWT Concertim signs for every call (A.3.1): HS256 over {exp, iat, jti}, checked before anything else.
import type { FastifyRequest } from 'fastify';
import { jwtVerify } from 'jose';
import { apiAuthenticationError } from './errors.ts';

/** Concertim signs {exp} with HS256 (Warden::JWTAuth); a missing or expired `exp` is refused as PyJWT did. */
export function jwtAuthentication(secret: string) {
  const key = secret === '' ? undefined : new TextEncoder().encode(secret);
  return async (request: FastifyRequest) => {
    if (request.routeOptions.config.public) return;
    if (!key) throw apiAuthenticationError('no JWT secret is configured (dialects.concertim.jwtSecret)');
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw apiAuthenticationError('send Authorization: Bearer <JWT>');
    try {
      await jwtVerify(header.slice('Bearer '.length), key, { algorithms: ['HS256'], requiredClaims: ['exp'] });
    } catch (error) {
      throw apiAuthenticationError(`the token was refused: ${(error as Error).message}`);
    }
  };
}
