// A gzipped ustar archive of a few small text files, made in memory.
import { gzipSync } from 'node:zlib';

export interface ArchiveFile {
  path: string;
  content: string;
  mode?: number;
}

const block = 512;

function field(header: Buffer, offset: number, length: number, value: string) {
  header.write(value.slice(0, length), offset, length, 'utf8');
}

/** Numbers are zero-padded octal, NUL-terminated, as ustar has them. */
const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');

function headerFor(path: string, size: number, mode: number, mtime: number): Buffer {
  if (Buffer.byteLength(path) > 100) throw new Error(`archive path too long: ${path}`);
  const header = Buffer.alloc(block);
  field(header, 0, 100, path);
  field(header, 100, 8, octal(mode, 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(size, 12));
  field(header, 136, 12, octal(mtime, 12));
  field(header, 148, 8, ' '.repeat(8));
  field(header, 156, 1, '0');
  field(header, 257, 6, 'ustar');
  field(header, 263, 2, '00');
  field(header, 265, 32, 'cloudplane');
  field(header, 297, 32, 'cloudplane');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(header, 148, 8, `${octal(sum, 7)}\0`);
  return header;
}

export function tarGz(files: ArchiveFile[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const content = Buffer.from(file.content, 'utf8');
    parts.push(
      headerFor(file.path, content.length, file.mode ?? 0o644, mtime),
      content,
      Buffer.alloc((block - (content.length % block)) % block),
    );
  }
  parts.push(Buffer.alloc(2 * block));
  return gzipSync(Buffer.concat(parts));
}
