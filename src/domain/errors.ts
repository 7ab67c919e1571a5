// Typed domain errors: services throw these; each API surface maps them to its own wire format.

export type DomainErrorCode =
  'not-found' | 'conflict' | 'invalid' | 'forbidden' | 'unauthorized' | 'precondition-failed';

/** The HTTP status each error code stands for; every wire format (native or dialect) starts from it. */
export const httpStatusOf: Record<DomainErrorCode, number> = {
  'not-found': 404,
  conflict: 409,
  invalid: 400,
  forbidden: 403,
  unauthorized: 401,
  'precondition-failed': 412,
};

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string, id: string) =>
  new DomainError('not-found', `${what} ${id} not found`, { what, id });

export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainError('conflict', message, details);

export const invalid = (message: string, details?: Record<string, unknown>) =>
  new DomainError('invalid', message, details);

export const forbidden = (message: string) => new DomainError('forbidden', message);

export const unauthorized = (message: string) => new DomainError('unauthorized', message);

export const preconditionFailed = (message: string, details?: Record<string, unknown>) =>
  new DomainError('precondition-failed', message, details);
