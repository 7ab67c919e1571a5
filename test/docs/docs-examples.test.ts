// Every shell example of docs/ run as written, in order, one document at a time: each against a fresh server
// started as `npm start` starts it (with the settings the document asks for), all its blocks in one bash so
// that a variable one block sets is there for the next; a block that fails is named.
import { describe, test } from 'node:test';
import { runDocumentExamples, type Ports } from './run-document.ts';

/** The settings each document says its server needs (its own words name them); the rest run on the defaults. */
const documents: Record<string, (ports: Ports) => Record<string, string>> = {
  'docs/cli.md': () => ({}),
  'docs/billing.md': () => ({}),
  'docs/pki.md': () => ({}),
  'docs/dialects/okeanos.md': () => ({}),
  'docs/dialects/concertim.md': (ports) => ({
    CLOUDPLANE_DIALECTS_CONCERTIM_JWT_SECRET: 'change-me',
    CLOUDPLANE_DIALECTS_CONCERTIM_HOST: '127.0.0.1',
    CLOUDPLANE_DIALECTS_CONCERTIM_PORT: String(ports.concertim),
  }),
  'docs/dialects/conpaas.md': (ports) => ({
    CLOUDPLANE_PKI_HTTPS_ENABLED: 'true',
    CLOUDPLANE_PKI_HTTPS_HOST: '127.0.0.1',
    CLOUDPLANE_PKI_HTTPS_PORT: String(ports.https),
  }),
  'docs/dialects/krak8s.md': () => ({ CLOUDPLANE_DIALECTS_KRAK8S_USER: 'krak8s' }),
  'docs/dialects/imc.md': () => ({}),
};

/** CLOUDPLANE_TEST_DOCS=docs/pki.md,... runs only those documents (while fixing one). */
const only = process.env.CLOUDPLANE_TEST_DOCS?.split(',');

// Documents run side by side, each with its own server and scratch directory: most of their time is waiting.
describe('every shell example in docs/ runs as written, in order', { concurrency: 4 }, () => {
  for (const [file, settings] of Object.entries(documents))
    test(file, { skip: only && !only.includes(file) && 'not in CLOUDPLANE_TEST_DOCS' }, (t) =>
      runDocumentExamples(t, file, settings),
    );
});
