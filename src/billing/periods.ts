// Invoice periods: calendar months in UTC, named YYYY-MM.
import { invalid } from '../domain/errors.ts';

export interface Period {
  name: string;
  start: Date;
  end: Date;
}

const pattern = /^(\d{4})-(\d{2})$/;

export const isPeriodName = (value: string) => pattern.test(value);

export function monthOf(at: Date): Period {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { name: start.toISOString().slice(0, 7), start, end };
}

/** `field` names the input a bad month came from in the 400. */
export function parsePeriod(name: string, field = 'month'): Period {
  const match = pattern.exec(name);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12 || Number(match[1]) < 1970)
    throw invalid(`"${name}" is not a month: use YYYY-MM (UTC)`, { field });
  return monthOf(new Date(Date.UTC(Number(match[1]), month - 1, 1)));
}

/** The months from `first` up to, not including, `current`, oldest first. */
export function monthsBetween(first: Period, current: Period): Period[] {
  const months: Period[] = [];
  for (let period = first; period.start < current.start; period = monthOf(period.end)) months.push(period);
  return months;
}
