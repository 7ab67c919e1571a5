// A Markdown document's shell examples run as written, in order, in one bash, against a fresh server started as
// `npm start` starts it with the settings the document names; a block that fails is named. The README's test and
// docs/'s share it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort } from '../support/process-server.ts';
import { scratchDir } from '../support/scratch.ts';
import {
  exampleEnv,
  runBash,
  shellBlocks,
  startExampleServer,
  strictPrologue,
  withValues,
  workspace,
  type Block,
} from './examples.ts';

export interface Ports {
  main: number;
  https: number;
  concertim: number;
}

/** The documents speak of the default ports; the test's server listens on free ones. */
const onPorts = (code: string, ports: Ports) =>
  code
    .replaceAll('localhost:8080', `localhost:${ports.main}`)
    .replaceAll('localhost:8443', `localhost:${ports.https}`)
    .replaceAll('localhost:42356', `localhost:${ports.concertim}`);

/**
 * A curl whose documented answer is a 4xx (`# 404 {...}` after it, on its line or the next) must get just that
 * status; every other curl must succeed, as the strict prologue's wrapper has it.
 */
const expectingStatus = [
  'curl_expecting() {',
  '  local want=$1 out; shift',
  `  out=$(command curl -w '\n%{http_code}' "$@") || return`,
  `  printf '%s\n' "\${out%$'\n'*}"`,
  `  [ "\${out##*$'\n'}" = "$want" ] || { echo "expected HTTP $want, got \${out##*$'\n'}" >&2; return 1; }`,
  '}',
];

const withExpectedStatuses = (code: string) => {
  const lines = code.split('\n');
  return lines
    .map((line, i) => {
      const documented = /#\s*(4\d\d)\b/.exec(line) ?? /^#\s*(4\d\d)\b/.exec(lines[i + 1] ?? '');
      return documented && /^curl /.test(line) && !line.endsWith('\\')
        ? line.replace(/^curl /, `curl_expecting ${documented[1]} `)
        : line;
    })
    .join('\n');
};

/** One bash for the whole document; before each block it writes the block's index where the test can read it. */
function script(blocks: Block[], marker: string, ports: Ports, values: Record<string, string>): string {
  return [
    ...strictPrologue,
    ...expectingStatus,
    ...blocks.flatMap((block, index) => [
      `echo ${index} > ${marker}`,
      withExpectedStatuses(onPorts(withValues(block.code, values), ports)),
    ]),
  ].join('\n');
}

/** Runs `file`'s examples (relative to the clone) against a server started with `settings(ports)`. */
export async function runDocumentExamples(
  t: TestContext,
  file: string,
  settings: (ports: Ports) => Record<string, string>,
) {
  const blocks = shellBlocks(file);
  const runnable = blocks.filter((block) => !block.skip);
  for (const block of blocks) if (block.skip) t.diagnostic(`skipped ${block.name}: ${block.skip}`);
  t.diagnostic(`${blocks.length} blocks: ${runnable.length} run, ${blocks.length - runnable.length} skipped`);
  assert.ok(runnable.length > 0, `${file} has no example to run`);

  const dir = scratchDir('cloudplane-docs-');
  const work = workspace(dir);
  const ports = { main: await freePort(), https: await freePort(), concertim: await freePort() };
  const env: Record<string, string> = { CLOUDPLANE_DIALECTS_CONCERTIM_PORT: '0', ...settings(ports) };
  const server = await startExampleServer(work, ports.main, env);
  t.after(() => server.stop());

  const marker = join(dir, 'block');
  const result = await runBash(
    script(runnable, marker, ports, { PASSWORD: server.password }),
    work,
    exampleEnv(join(dir, 'home'), { CLOUDPLANE_URL: server.url }),
    // Generous: a loaded machine is slow, and a bound is only there so that a hang ends.
    300_000,
  );
  if (result.status === 0) return;
  const failed = existsSync(marker) ? runnable[Number(readFileSync(marker, 'utf8'))] : undefined;
  writeFileSync(join(dir, 'output'), result.output);
  assert.fail(
    `${failed ? `the block at ${failed.name}` : file} ${result.timedOut ? 'did not finish in time' : `failed (exit code ${result.status})`}:\n` +
      `${failed?.code ?? ''}\n--- the document's examples printed:\n${result.output.slice(-6000)}`,
  );
}
