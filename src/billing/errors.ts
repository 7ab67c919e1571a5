// The one billing failure a caller must tell apart: not enough credit (409 on the native API).
import { DomainError } from '../domain/errors.ts';

export class InsufficientCredit extends DomainError {
  constructor(accountId: string, balance: number, amount: number) {
    super('conflict', `insufficient credit: the balance is ${balance}, ${amount} was asked`, {
      reason: 'insufficient-credit',
      account: accountId,
      balance,
      amount,
    });
    this.name = 'InsufficientCredit';
  }
}
