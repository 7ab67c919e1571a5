// One part of `npm run bench` as the report prints it: each part (the HTTP API, jobs, scale, watchers, the store's
// cost per change) measures on its own and hands back a Section; run.ts prints them in order and writes them all to
// bench/results/latest.json.

/** A figure checked against the target: `ok` is computed by the part that measured it. */
export interface Target {
  /** What is compared, e.g. "get / bare node:http same bytes". */
  name: string;
  /** The measured figure (a ratio, milliseconds, cores...). */
  value: number;
  /** How the target reads, e.g. ">= 0.50x" or "<= 25 ms". */
  target: string;
  ok: boolean;
}

export interface Section {
  title: string;
  /** Human-readable lines: each cloudplane figure next to the same-run peer it is compared with. */
  lines: string[];
  targets: Target[];
  /** Raw figures for latest.json. */
  data: unknown;
}

export function atLeast(name: string, value: number, minimum: number, unit = 'x'): Target {
  return { name, value, target: `>= ${minimum}${unit}`, ok: value >= minimum };
}

export function atMost(name: string, value: number, maximum: number, unit = ' ms'): Target {
  return { name, value, target: `<= ${maximum}${unit}`, ok: value <= maximum };
}
