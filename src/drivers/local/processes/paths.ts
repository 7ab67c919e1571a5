// Where each supervised process keeps its files: one directory per key under the state directory.
import path from 'node:path';

export interface RecordPaths {
  dir: string;
  /** What to run, written by the launcher before it starts the command. */
  spec: string;
  /** The pid and start time of the launcher that supervises it. */
  supervisor: string;
  /** The command's pid and start time, written once it runs, leading its own process group. */
  child: string;
  /** How it ended; its presence means the process is over. */
  exit: string;
  /** Present once the exit was handed to onExit listeners, so an exit during a restart is told once, later. */
  exitSeen: string;
  /** Present once someone asked for a stop, so the exit reads as 'killed' and not as a crash. */
  stopRequest: string;
  /** Default log files, used when the launch spec names none. */
  stdout: string;
  stderr: string;
  /** `<marker>.started` and `<marker>.exited` appear in one shared directory, which servers watch. */
  marker: string;
}

/** Holds the markers; a name an encoded key can never have (those hold no '.'), so it is never read as a record. */
export const markersDirName = '.markers';

/** Keys hold `/` and other characters a file name cannot; percent-encoding keeps them reversible. */
export const encodeKey = (key: string): string => encodeURIComponent(key).replace(/\./g, '%2E');

export const decodeKey = (name: string): string => decodeURIComponent(name);

export const recordPaths = (stateDir: string, key: string): RecordPaths => {
  const dir = path.join(stateDir, encodeKey(key));
  return {
    dir,
    spec: path.join(dir, 'spec.json'),
    supervisor: path.join(dir, 'supervisor.json'),
    child: path.join(dir, 'child.json'),
    exit: path.join(dir, 'exit.json'),
    stopRequest: path.join(dir, 'stop-request.json'),
    exitSeen: path.join(dir, 'exit-seen'),
    stdout: path.join(dir, 'stdout'),
    stderr: path.join(dir, 'stderr'),
    marker: path.join(stateDir, markersDirName, encodeKey(key)),
  };
};
