// Shows a waited-for resource's state changes on stderr: a line per change, and on a terminal a
// live line with a spinner and the elapsed time under them.
const frames = ['|', '/', '-', '\\'];
const redrawMs = 100;

export interface Progress {
  /** Prints a line when the state or message differs from the last one shown. */
  show(state: string, message: string): void;
  stop(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function startProgress(name: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  let last: { state: string; message: string } | undefined;
  let frame = 0;
  const terminal = stream.isTTY === true;
  const clearLive = () => terminal && stream.write('\r\x1b[K');
  const drawLive = () => {
    if (!terminal || last === undefined) return;
    frame = (frame + 1) % frames.length;
    stream.write(`\r\x1b[K${frames[frame]} ${name} ${last.state} ${seconds(Date.now() - started)}`);
  };
  const timer = terminal ? setInterval(drawLive, redrawMs) : undefined;
  return {
    show(state, message) {
      if (last?.state === state && last.message === message) return;
      last = { state, message };
      clearLive();
      const detail = message === '' ? '' : `  ${message}`;
      stream.write(`[${seconds(Date.now() - started).padStart(7)}] ${name}: ${state}${detail}\n`);
      drawLive();
    },
    stop() {
      clearInterval(timer);
      clearLive();
    },
  };
}
