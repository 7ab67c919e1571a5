#!/usr/bin/env node
// The `cloudplane` command-line client; everything it does lives in src/cli.
import { runCli } from '../src/cli/program.ts';

await runCli(process.argv);
