// The CPU a server child process uses, from /proc (Linux): how busy cloudplane is while nobody asks it anything.
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat, after the command's parens). */
async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The cloudplane child of this process (servers.ts starts src/main.ts as a direct child; one at a time here). */
export async function serverPid(): Promise<number> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      if (parent === process.pid && command.includes('src/main.ts')) return Number(entry);
    } catch {
      // The process ended while the list was read.
    }
  }
  throw new Error('no cloudplane child process found');
}

/** The cores `pid` used on average over `seconds`. */
export async function serverCores(pid: number, seconds: number): Promise<number> {
  const before = await cpuTicks(pid);
  await sleep(seconds * 1000);
  return ((await cpuTicks(pid)) - before) / ticksPerSecond / seconds;
}
