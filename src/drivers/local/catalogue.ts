// The service types the local driver can run: each maps to a command template filled in at launch, the
// programs it needs, how it is prepared and how to tell that it answers.
import type { Static } from '@sinclair/typebox';
import type { CatalogueEntrySchema } from '../../config/schema.ts';
import { PermanentDriverError } from '../driver.ts';
import { findProgram } from './processes/find-program.ts';

/**
 * Placeholders, in every string of an entry: `{port}` (a free port on 127.0.0.1), `{name}`, `{id}`, `{workdir}`
 * (the service's own directory, its code or data), `{private}` (a directory only this user may read, beside
 * the workdir and never served: credentials) and `{runtime}` (for sockets, whose paths may not exceed 107 bytes:
 * `{private}` when its path is short enough, else a private directory in the system's temporary folder).
 */
export type CatalogueEntry = Static<typeof CatalogueEntrySchema>;

export type Catalogue = Record<string, CatalogueEntry>;

export interface Placeholders {
  port: number;
  name: string;
  id: string;
  workdir: string;
  private: string;
  runtime: string;
}

const echoServer = [
  'import socketserver, sys',
  'class Echo(socketserver.StreamRequestHandler):',
  '    def handle(self):',
  '        for line in self.rfile: self.wfile.write(line)',
  'socketserver.ThreadingTCPServer.allow_reuse_address = True',
  'socketserver.ThreadingTCPServer(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()',
].join('\n');

/** ConPaaS gave a new PHP service a default code version; without one PHP's server answers 404 at `/`. */
const phpDefaultCode = `[ -e index.php ] || [ -e index.html ] || printf '%s\\n' '<?php echo "this PHP service is running\\n";' > index.php`;

/** A MariaDB server initialised once in {workdir}/data, with a random root password that only the credentials file holds. */
const mariadbInit = [
  'set -eu',
  'umask 077',
  "[ -d '{workdir}/data' ] && exit 0",
  "rm -rf '{workdir}/data.new'",
  // Never in an argv (printf is the shell's own) nor in a log: only in the 0600 client file. Errors go to stderr.
  'password=$(head -c 24 /dev/urandom | base64 | tr -d "/+=")',
  `printf '[client]\\nuser=root\\npassword=%s\\n' "$password" > '{private}/root.cnf'`,
  `mariadb-install-db --no-defaults --datadir='{workdir}/data.new' --auth-root-authentication-method=normal --skip-test-db --user="$(id -un)" >&2`,
  `printf "DELETE FROM mysql.global_priv WHERE User='' OR (User='root' AND Host NOT IN ('localhost','127.0.0.1'));\\nFLUSH PRIVILEGES;\\nALTER USER root@localhost IDENTIFIED BY '%s';\\nALTER USER root@'127.0.0.1' IDENTIFIED BY '%s';\\n" "$password" "$password" | mariadbd --no-defaults --bootstrap --datadir='{workdir}/data.new' --user="$(id -un)"`,
  // Renamed only once complete: a half-initialised directory is started again from scratch.
  "mv '{workdir}/data.new' '{workdir}/data'",
].join('\n');

const mariadbServer = `exec mariadbd --no-defaults --datadir='{workdir}/data' --bind-address=127.0.0.1 --port={port} --skip-name-resolve --socket='{runtime}/mysqld.sock' --pid-file='{private}/mysqld.pid' --user="$(id -un)"`;

/**
 * What runs on a Debian machine with its packages: python3 for http-static and tcp-echo, php-cli for php,
 * mariadb-server and mariadb-client for mysql. A type whose programs are missing is not offered.
 */
export const defaultCatalogue: Catalogue = {
  'http-static': {
    command: ['python3', '-m', 'http.server', '{port}', '--bind', '127.0.0.1', '--directory', '{workdir}'],
    description: 'serves the files in its working directory over HTTP',
    requires: ['python3'],
    ready: { http: '/' },
  },
  'tcp-echo': {
    command: ['python3', '-c', echoServer, '{port}'],
    description: 'sends back every line it receives over TCP',
    requires: ['python3'],
    ready: { tcp: true },
  },
  php: {
    command: ['php', '-S', '127.0.0.1:{port}', '-t', '{workdir}'],
    description: "PHP's built-in web server, serving the PHP code in its working directory",
    requires: ['php'],
    prepare: ['sh', '-c', phpDefaultCode],
    ready: { http: '/' },
  },
  mysql: {
    command: ['sh', '-c', mariadbServer],
    description: 'a MariaDB server of its own; the root password is in the file status.details.credentials names',
    requires: ['mariadbd', 'mariadb-install-db', 'mariadb-admin'],
    prepare: ['sh', '-c', mariadbInit],
    ready: {
      command: [
        'mariadb-admin',
        '--defaults-extra-file={private}/root.cnf',
        '--protocol=tcp',
        '--host=127.0.0.1',
        '--port={port}',
        '--connect-timeout=2',
        'ping',
      ],
    },
    credentials: '{private}/root.cnf',
  },
};

/** The configured entries are added to the default ones; an entry of a default type's name replaces it. */
export const catalogueOf = (configured: Catalogue | undefined): Catalogue => ({ ...defaultCatalogue, ...configured });

/** The programs of `entry` missing on this host; none: it can run here. */
export const missingPrograms = (entry: CatalogueEntry): string[] =>
  (entry.requires ?? []).filter((program) => !findProgram(program));

/** The types whose software is installed here. */
export const installedTypes = (catalogue: Catalogue): string[] =>
  Object.keys(catalogue).filter((type) => missingPrograms(catalogue[type]).length === 0);

export const catalogueEntry = (catalogue: Catalogue, type: string): CatalogueEntry => {
  const entry = Object.hasOwn(catalogue, type) ? catalogue[type] : undefined;
  if (!entry) {
    const known = Object.keys(catalogue).sort().join(', ') || 'no types';
    throw new PermanentDriverError(`unknown service type "${type}"; the catalogue has: ${known}`);
  }
  const missing = missingPrograms(entry);
  if (missing.length > 0)
    throw new PermanentDriverError(`service type "${type}" cannot run here: ${missing.join(', ')} not installed`);
  return entry;
};

/** Only the known placeholders are replaced, so other braces in a command (a script's code) stay. */
export const render = (template: string, values: Placeholders): string =>
  template.replace(/\{(port|name|id|workdir|private|runtime)\}/g, (_match, name: keyof Placeholders) =>
    String(values[name]),
  );

export const renderCommand = (template: string[], values: Placeholders): string[] =>
  template.map((part) => render(part, values));
