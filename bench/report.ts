// Turns measurements into ratios against the baseline, checks the SQLite targets, prints a table and writes JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BaselineName, LoadSettings, Measurement } from './scenarios.ts';
import type { Section } from './section.ts';

export interface DatabaseRun {
  database: 'sqlite' | 'postgres';
  origin: string;
  /** Set when the database could not be measured. */
  skipped?: string;
  measurements: { measurement: Measurement; comparedTo: BaselineName }[];
}

export interface BenchRun {
  load: LoadSettings;
  /** The 1-minute load average when the run started: other work on the machine skews every figure. */
  machineLoad: number;
  baselines: Measurement[];
  databases: DatabaseRun[];
  /** Undefined when the jobs part was not run. */
  jobs?: Section;
}

/** The issue's targets, checked on SQLite only. */
const minimumRatio: Record<string, number> = { create: 0.4, get: 0.7, 'list 100': 0.2 };
const maximumP99Ms = 25;

interface Row {
  database: string;
  scenario: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  ratio?: number;
  comparedTo?: BaselineName;
  ratioTarget?: { minimum: number; pass: boolean };
  p99Target?: { maximum: number; pass: boolean };
}

function rowsOf(run: BenchRun): Row[] {
  const baselineRate = new Map(run.baselines.map((m) => [m.scenario, m.requestsPerSecond]));
  const row = (database: string, m: Measurement) => ({ database, ...m, failures: m.errors + m.non2xx });
  const rows: Row[] = run.baselines.map((m) => row('-', m));
  for (const db of run.databases) {
    for (const { measurement: m, comparedTo } of db.measurements) {
      const ratio = m.requestsPerSecond / (baselineRate.get(comparedTo) ?? NaN);
      const checked = db.database === 'sqlite';
      // A run that answered with errors passes nothing: fast 4xx/5xx would inflate the rate.
      const clean = m.errors + m.non2xx === 0;
      const minimum = minimumRatio[m.scenario];
      rows.push({
        ...row(db.database, m),
        ratio,
        comparedTo,
        ratioTarget: checked && minimum !== undefined ? { minimum, pass: clean && ratio >= minimum } : undefined,
        p99Target: checked ? { maximum: maximumP99Ms, pass: clean && m.p99Ms <= maximumP99Ms } : undefined,
      });
    }
  }
  return rows;
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

function formatTable(rows: Row[]): string {
  const header = ['database', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'ratio', 'rate target', 'p99 target'];
  const cells = rows.map((r) => [
    r.database,
    r.scenario,
    Math.round(r.requestsPerSecond).toString(),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    r.failures.toString(),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x ${r.comparedTo?.replace('baseline ', '')}`,
    r.ratioTarget ? `>= ${r.ratioTarget.minimum.toFixed(2)}x ${verdict(r.ratioTarget.pass)}` : '',
    r.p99Target ? `<= ${r.p99Target.maximum} ms ${verdict(r.p99Target.pass)}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const numeric = new Set([2, 3, 4, 5]);
  const line = (c: string[]) =>
    c
      .map((v, i) => (numeric.has(i) ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function formatHttp(run: BenchRun, rows: Row[]): string[] {
  const { connections, warmupSeconds, seconds } = run.load;
  const checks = rows.flatMap((r) => [r.ratioTarget?.pass, r.p99Target?.pass]).filter((p) => p !== undefined);
  return [
    `HTTP API: ${connections} connections on loopback, ${warmupSeconds} s warm-up + ${seconds} s per scenario`,
    '',
    formatTable(rows),
    '',
    ...run.databases.map((db) => `${db.database}: ${db.skipped ? `NOT MEASURED: ${db.skipped}` : db.origin}`),
    `SQLite targets: ${checks.filter(Boolean).length} of ${checks.length} met`,
  ];
}

export function report(run: BenchRun): string {
  const rows = rowsOf(run);
  const lines = [
    '',
    `cloudplane bench: node ${process.version}, ${cpus().length} CPUs, load average ${run.machineLoad.toFixed(2)} at start`,
    '',
  ];
  if (rows.length > 0) lines.push(...formatHttp(run, rows));
  if (run.jobs) lines.push(...formatSection(run.jobs));
  writeResults(run, rows);
  return lines.join('\n');
}

function formatSection(section: Section): string[] {
  return [
    '',
    section.title,
    ...section.lines.map((line) => `  ${line}`),
    ...section.targets.map((t) => `  target ${t.name}: ${t.value.toFixed(2)} ${t.target} ${t.ok ? 'PASS' : 'MISS'}`),
  ];
}

function writeResults(run: BenchRun, rows: Row[]) {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const databases = run.databases.map(({ database, origin, skipped }) => ({ database, origin, skipped }));
  const document = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    machineLoad: run.machineLoad,
    load: run.load,
    databases,
    rows,
    jobs: run.jobs,
  };
  writeFileSync(`${dir}latest.json`, `${JSON.stringify(document, null, 2)}\n`);
}
