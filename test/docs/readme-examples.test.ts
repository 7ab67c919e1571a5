// The README's shell examples from "A first session with the CLI" to the end of "Certificate authority",
// run as written, in order, by bash against a real server this test starts; a block that fails is named.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../support/process-server.ts';
import { scratchDir } from '../support/scratch.ts';
import {
  assignedNames,
  exampleEnv,
  runBash,
  shellBlocks,
  startExampleServer,
  strictPrologue,
  withValues,
  workspace,
  type Block,
} from './examples.ts';

/** A block as bash runs it: the previous blocks' variables, the block, and its variables saved for the next. */
const script = (block: Block, names: string[], state: string, values: Record<string, string>) =>
  [
    ...strictPrologue,
    `[ -f ${state} ] && source ${state}`,
    withValues(block.code, values),
    `declare -p ${names.join(' ')} > ${state} 2>/dev/null || true`,
  ].join('\n');

test('every README example from the first session to the certificate authority runs as written, in order', async (t) => {
  const dir = scratchDir('cloudplane-readme-');
  const work = workspace(dir);
  const [port, httpsPort] = [await freePort(), await freePort()];
  const server = await startExampleServer(work, port, {
    CLOUDPLANE_DIALECTS_CONCERTIM_PORT: '0',
    CLOUDPLANE_PKI_HTTPS_ENABLED: 'true',
    CLOUDPLANE_PKI_HTTPS_HOST: '127.0.0.1',
    CLOUDPLANE_PKI_HTTPS_PORT: String(httpsPort),
  });
  t.after(() => server.stop());

  const env = exampleEnv(join(dir, 'home'), { CLOUDPLANE_URL: server.url });
  const values = { PASSWORD: server.password, API: `${server.url}/api/v1`, HTTPS: `https://localhost:${httpsPort}` };
  const blocks = shellBlocks('README.md', { from: '## A first session with the CLI', to: '## Dialects' });
  const names = assignedNames(blocks);
  for (const name of Object.keys(values)) assert.ok(names.includes(name), `the README no longer defines ${name}`);
  const state = join(dir, 'variables.sh');
  let failed: string | undefined;
  for (const block of blocks) {
    const skip = block.skip ?? (failed && `the earlier block ${failed} failed`);
    await t.test(block.name, { skip }, async () => {
      const result = await runBash(script(block, names, state, values), work, env, 180_000);
      if (result.status !== 0) failed = block.name;
      assert.equal(
        result.status,
        0,
        `the README block at ${block.name} failed:\n${block.code}\n--- it printed:\n${result.output}`,
      );
    });
  }
});
