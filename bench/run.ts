// `npm run bench`: runs each part (BENCH_PARTS=http,jobs,... picks some; all by default), prints its Section, then
// a table of the targets met and missed, and writes bench/results/latest.json. Each part starts its own servers on
// free ports, so a bench runs beside another cloudplane; whatever is still running at an error or Ctrl-C is stopped.
import { execFileSync } from 'node:child_process';
import { interrupt, isInterrupted, stopEverything } from './cleanup.ts';
import { failedSection, formatSection, formatSummary, machine, writeResults, type PartResult } from './report.ts';
import type { Section } from './section.ts';

/**
 * Every part, in the order they run: a module exporting `run(): Promise<Section>`; adding a part is one line.
 * The intended order: http, store-change, scale, watchers, jobs (cheapest and most basic first).
 */
const partModules: Record<string, string> = {
  http: './http-part.ts',
  'store-change': './store-change.ts',
  scale: './scale.ts',
  watchers: './watchers.ts',
  jobs: './jobs.ts',
};

function selectedParts(): string[] {
  const asked = process.env.BENCH_PARTS?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!asked) return Object.keys(partModules);
  const unknown = asked.filter((name) => !(name in partModules));
  if (unknown.length > 0)
    throw new Error(`unknown BENCH_PARTS ${unknown.join(', ')}; the parts are ${Object.keys(partModules).join(', ')}`);
  return asked;
}

async function runPart(part: string): Promise<PartResult> {
  // The previous part's files (databases, WALs, job directories) are flushed first: their writeback must not run
  // on the disk while this part measures.
  execFileSync('sync');
  console.error(`bench: ${part}`);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const module = (await import(partModules[part])) as { run(): Promise<Section> };
    return { part, section: await module.run(), seconds: seconds() };
  } catch (error) {
    console.error(`bench: ${part} failed:`, error);
    return { part, section: failedSection(part, error), seconds: seconds(), error: String(error) };
  } finally {
    // A part that threw may have left servers or directories behind; the next part starts clean.
    await stopEverything();
  }
}

async function main() {
  const parts = selectedParts();
  const host = machine();
  const results: PartResult[] = [];
  for (const part of parts) {
    const result = await runPart(part);
    if (isInterrupted()) return;
    console.log(formatSection(result));
    results.push(result);
  }
  console.log(formatSummary(results, host));
  console.log(`\nwritten to ${writeResults(results, host)}`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, stopping what it started`);
    void interrupt().then(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await stopEverything();
}
