// A write that lost a race with another writer (often the engine recording a status) is retried
// when the caller did not ask for a particular version: the caller's intent still holds.
import { conflict, DomainError } from '../domain/errors.ts';

const attempts = 5;

export const raceLost = (message: string) => conflict(message, { raceLost: true });

const isRaceLost = (error: unknown) => error instanceof DomainError && error.details.raceLost === true;

export async function retryLostRaces<T>(expectedVersion: string | undefined, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (expectedVersion !== undefined || attempt >= attempts || !isRaceLost(error)) throw error;
    }
  }
}
