// CPU time of the server under test and of the load generator (this process: autocannon runs in it) over one
// measurement, from /proc/<pid>/stat, so the report can say how much of the machine each had.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Clock ticks per second, the unit of utime and stime; 100 on every Linux this runs on, asked once anyway. */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds a process (all its threads) has used; undefined without /proc or once it exited. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

// Every measurement's load-generator share, whichever part took it, for the run's summary in latest.json.
const loadGeneratorCores: number[] = [];

/** The load generator's cores over every measurement so far: its share of the machine, stated with the figures. */
export function loadGeneratorSummary() {
  if (loadGeneratorCores.length === 0) return undefined;
  const mean = loadGeneratorCores.reduce((sum, c) => sum + c, 0) / loadGeneratorCores.length;
  const cores = availableParallelism();
  const share = (c: number) => Number((c / cores).toFixed(3));
  return {
    measurements: loadGeneratorCores.length,
    meanCores: Number(mean.toFixed(3)),
    maxCores: Number(Math.max(...loadGeneratorCores).toFixed(3)),
    meanShareOfMachine: share(mean),
    maxShareOfMachine: share(Math.max(...loadGeneratorCores)),
  };
}

export interface CpuShare {
  /** Cores in use on average over the measurement: 1.0 is one core busy all the time. */
  serverCores?: number;
  loadGeneratorCores?: number;
  /** The machine's cores, of which the two above are a share. */
  machineCores: number;
}

/** Runs `work` and reports the CPU the server process and this process used meanwhile. */
export async function withCpu<T>(serverPid: number | undefined, work: () => Promise<T>): Promise<[T, CpuShare]> {
  const server0 = serverPid === undefined ? undefined : cpuSeconds(serverPid);
  const self0 = cpuSeconds(process.pid);
  const started = performance.now();
  const result = await work();
  const wallSeconds = (performance.now() - started) / 1000;
  const server1 = serverPid === undefined ? undefined : cpuSeconds(serverPid);
  const self1 = cpuSeconds(process.pid);
  const cores = (from?: number, to?: number) =>
    from === undefined || to === undefined ? undefined : (to - from) / wallSeconds;
  const share = {
    serverCores: cores(server0, server1),
    loadGeneratorCores: cores(self0, self1),
    machineCores: availableParallelism(),
  };
  if (share.loadGeneratorCores !== undefined) loadGeneratorCores.push(share.loadGeneratorCores);
  return [result, share];
}
