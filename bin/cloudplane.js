#!/usr/bin/env node
// The `cloudplane` command-line client; everything it does lives in src/cli. Plain JavaScript, so
// that it can turn on Node's compile cache before any TypeScript is read: a cached run skips the
// type stripping and starts in a fraction of the time.
import module from 'node:module';
import process from 'node:process';

module.enableCompileCache?.();
const { runCli } = await import('../src/cli/program.ts');
await runCli(process.argv);
