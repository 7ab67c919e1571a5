// Every shell example of the README run as written, in order, in one bash, against a real server this test
// starts with the settings the README names (the first session's, the HTTPS listener of the certificate
// authority and ConPaaS, Concertim's jwtSecret, krak8s's service user); a block that fails is named, and a block
// marked `<!-- readme-test: skip: why -->` is reported skipped with its reason.
import { test } from 'node:test';
import { runDocumentExamples } from './run-document.ts';

test('every README example runs as written, in order', (t) =>
  runDocumentExamples(t, 'README.md', (ports) => ({
    CLOUDPLANE_PKI_HTTPS_ENABLED: 'true',
    CLOUDPLANE_PKI_HTTPS_HOST: '127.0.0.1',
    CLOUDPLANE_PKI_HTTPS_PORT: String(ports.https),
    CLOUDPLANE_DIALECTS_CONCERTIM_JWT_SECRET: 'change-me',
    CLOUDPLANE_DIALECTS_CONCERTIM_HOST: '127.0.0.1',
    CLOUDPLANE_DIALECTS_CONCERTIM_PORT: String(ports.concertim),
    CLOUDPLANE_DIALECTS_KRAK8S_USER: 'krak8s',
  })));
