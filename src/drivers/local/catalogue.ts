// The service types the local driver can run: each maps to a command template filled in at launch.
import { PermanentDriverError } from '../driver.ts';

export interface CatalogueEntry {
  /** Placeholders: `{port}` (a free port on 127.0.0.1), `{name}`, `{id}`, `{workdir}` (the service's own directory). */
  command: string[];
  description?: string;
}

export type Catalogue = Record<string, CatalogueEntry>;

export interface Placeholders {
  port: number;
  name: string;
  id: string;
  workdir: string;
}

const echoServer = [
  'import socketserver, sys',
  'class Echo(socketserver.StreamRequestHandler):',
  '    def handle(self):',
  '        for line in self.rfile: self.wfile.write(line)',
  'socketserver.ThreadingTCPServer.allow_reuse_address = True',
  'socketserver.ThreadingTCPServer(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()',
].join('\n');

/**
 * Only what really runs on a plain Debian machine with python3. Types such as php, java or mysql need
 * software this driver cannot assume; operators map them to real commands in the configuration.
 */
export const defaultCatalogue: Catalogue = {
  'http-static': {
    command: ['python3', '-m', 'http.server', '{port}', '--bind', '127.0.0.1', '--directory', '{workdir}'],
    description: 'serves the files in its working directory over HTTP',
  },
  'tcp-echo': {
    command: ['python3', '-c', echoServer, '{port}'],
    description: 'sends back every line it receives over TCP',
  },
};

export const catalogueEntry = (catalogue: Catalogue, type: string): CatalogueEntry => {
  const entry = Object.hasOwn(catalogue, type) ? catalogue[type] : undefined;
  if (entry) return entry;
  const known = Object.keys(catalogue).sort().join(', ') || 'no types';
  throw new PermanentDriverError(`unknown service type "${type}"; the catalogue has: ${known}`);
};

/** Only the four known placeholders are replaced, so other braces in a command (a script's code) stay. */
export const renderCommand = (template: string[], values: Placeholders): string[] =>
  template.map((part) =>
    part.replace(/\{(port|name|id|workdir)\}/g, (_match, name: keyof Placeholders) => String(values[name])),
  );
