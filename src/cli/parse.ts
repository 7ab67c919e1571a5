// Option parsers shared by commands: numbers, repeated values, key=value labels, spec documents.
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { parse as parseYaml } from 'yaml';
import { UsageError } from './errors.ts';

export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive whole number');
  return number;
}

const units: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration in milliseconds from seconds or a number with s, m or h. */
export function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h|)$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0) throw new InvalidArgumentError('expected a duration such as 90s, 5m or 1h');
  return Number(match[1]) * units[match[2]];
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function labelsOf(pairs: string[] = []): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`label "${pair}" is not key=value`);
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}

function asObject(value: unknown, source: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`${source} must be an object`);
  return value as Record<string, unknown>;
}

/** --spec takes JSON; --spec-file takes YAML, which also reads JSON. */
export function specOf(options: { spec?: string; specFile?: string }): Record<string, unknown> | undefined {
  if (options.spec !== undefined) {
    try {
      return asObject(JSON.parse(options.spec), '--spec');
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--spec is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (options.specFile === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(options.specFile, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${options.specFile}: ${(error as Error).message}`);
  }
  try {
    return asObject(parseYaml(text), options.specFile);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${options.specFile} is not valid YAML or JSON: ${(error as Error).message}`);
  }
}
