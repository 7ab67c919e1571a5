// Prints each part's Section and a final table of targets met and missed, and writes bench/results/latest.json
// with the machine the figures were taken on.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadGeneratorSummary } from './cpu.ts';
import type { Section, Target } from './section.ts';
import { formatTable } from './table.ts';

export interface PartResult {
  part: string;
  section: Section;
  seconds: number;
  /** Set when the part threw: its section then says so and misses a target. */
  error?: string;
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    /** The 1-minute load average when the run started: other work on the machine skews every figure. */
    loadAverageAtStart: Number(loadavg()[0].toFixed(2)),
  };
}

/** A part that threw still appears, as a missed target, so a broken part cannot pass unnoticed. */
export function failedSection(part: string, error: unknown): Section {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    title: part,
    lines: [`FAILED: ${message}`],
    targets: [{ name: `${part} ran to the end`, value: NaN, target: 'no error', ok: false }],
    data: { error: message },
  };
}

const unitOf = (target: Target) => target.target.replace(/^[<>]=\s*-?[\d.]+/, '');

function formatValue(target: Target): string {
  if (Number.isNaN(target.value)) return '-';
  const digits = Math.abs(target.value) >= 100 ? 0 : Math.abs(target.value) >= 10 ? 1 : 2;
  return `${target.value.toFixed(digits)}${unitOf(target)}`;
}

export function formatSection({ part, section, seconds }: PartResult): string {
  const title = `${section.title} (${part}, ${seconds.toFixed(0)} s)`;
  const targets = section.targets.map(
    (t) => `${t.ok ? 'met   ' : 'MISSED'}  ${t.name}: ${formatValue(t)} (${t.target})`,
  );
  return ['', title, '='.repeat(title.length), ...section.lines, '', ...targets].join('\n');
}

export function formatSummary(results: PartResult[], host: ReturnType<typeof machine>): string {
  const rows = results.flatMap(({ part, section }) =>
    section.targets.map((t) => [part, t.name, formatValue(t), t.target, t.ok ? 'met' : 'MISSED']),
  );
  const met = rows.filter((r) => r[4] === 'met').length;
  const share = loadGeneratorSummary();
  // A quarter of the cores busy before the first request: other work competes with both sides of every ratio.
  const busy = host.loadAverageAtStart > host.cores / 4;
  return [
    '',
    `Targets: ${met} of ${rows.length} met`,
    ...formatTable(['part', 'figure', 'value', 'target', ''], rows, 2),
    '',
    `${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, node ${host.node}, load average ${host.loadAverageAtStart} at start`,
    share
      ? `load generator: ${share.meanCores} cores on average (${(share.meanShareOfMachine * 100).toFixed(0)}% of the machine), at most ${share.maxCores}`
      : 'load generator: CPU not measured',
    ...(busy
      ? [
          `WARNING: the machine was busy (load average ${host.loadAverageAtStart} on ${host.cores} cores): these figures are noise; measure on an idle machine`,
        ]
      : []),
  ].join('\n');
}

export function writeResults(results: PartResult[], host: ReturnType<typeof machine>): string {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const document = {
    date: new Date().toISOString(),
    machine: host,
    loadGenerator: loadGeneratorSummary(),
    parts: results.map(({ part, section, seconds, error }) => ({ part, seconds, error, ...section })),
  };
  const path = `${dir}latest.json`;
  // NaN (a figure not measured) is written as null, as JSON.stringify does.
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}
