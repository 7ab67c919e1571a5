// Bundles the browser code of web/ with esbuild, once, on the first request that needs it, and keeps it in memory.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** The bundle's files by name (app.js, app.css). */
export type ConsoleBundle = Map<string, ConsoleAsset>;

const webSource = fileURLToPath(new URL('../../web/src/main.tsx', import.meta.url));

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export const etagOf = (body: Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

export async function bundleConsole(): Promise<ConsoleBundle> {
  const result = await build({
    entryPoints: { app: webSource },
    bundle: true,
    write: false,
    outdir: '/console',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const files: ConsoleBundle = new Map();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const body = Buffer.from(file.contents);
    files.set(name, { body, contentType: contentTypes[name.slice(name.lastIndexOf('.'))], etag: etagOf(body) });
  }
  return files;
}

/** One build shared by every caller; a failed build is retried by the next request instead of being cached. */
export function lazyBundle(): () => Promise<ConsoleBundle> {
  let pending: Promise<ConsoleBundle> | undefined;
  return () => {
    pending ??= bundleConsole().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
