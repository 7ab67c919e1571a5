// Recognises constraint violations from either database so services can answer 409 instead of 500.
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string; errcode?: number };
  return e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
