// Shows how far a download has come: on a terminal a live line with the bytes (and the share, when the size is
// known), redrawn at most every tenth of a second; elsewhere only the line saying what was written.
const redrawMs = 100;

export interface DownloadProgress {
  add(bytes: number): void;
  /** Clears the live line and says where the bytes went. */
  done(where: string): void;
  stop(): void;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function startDownloadProgress(
  name: string,
  total: number | undefined,
  stream: NodeJS.WriteStream = process.stderr,
): DownloadProgress {
  const terminal = stream.isTTY === true;
  let received = 0;
  let drawnAt = 0;
  const draw = () => {
    drawnAt = Date.now();
    const share = total ? ` / ${formatBytes(total)} (${Math.floor((received / total) * 100)}%)` : '';
    stream.write(`\r\x1b[Kdownloading ${name}: ${formatBytes(received)}${share}`);
  };
  const clear = () => terminal && stream.write('\r\x1b[K');
  return {
    add(bytes) {
      received += bytes;
      if (terminal && Date.now() - drawnAt >= redrawMs) draw();
    },
    done(where) {
      clear();
      stream.write(`${name}: ${formatBytes(received)} written to ${where}\n`);
    },
    stop: clear,
  };
}
