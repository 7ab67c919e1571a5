// A job's logs (readable, and followable while it runs) and its collected outputs (downloadable).
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { ResourceContext } from '../../resources/context.ts';
import { filesOf, mayStillWrite, outputFile, taskLog } from '../../resources/files.ts';
import { commonErrors, type ApiApp } from '../app-types.ts';
import { callerOf } from '../auth.ts';

const ref = Type.String({ minLength: 1, maxLength: 128 });
const id = Type.String({ minLength: 1, maxLength: 64 });
const followPollMs = 200;
/** Sends what the file holds, then what is appended, until the job is no longer running. */
async function follow(ctx: ResourceContext, reply: FastifyReply, path: string, resourceId: string) {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
  let offset = 0;
  let closed = false;
  raw.on('close', () => (closed = true));
  for (;;) {
    // Read before the file, so the chunk written just before the job ended is still sent.
    const writing = await mayStillWrite(ctx, resourceId);
    if (existsSync(path) && statSync(path).size > offset) {
      const handle = await open(path, 'r');
      const { size } = await handle.stat();
      const chunk = Buffer.alloc(size - offset);
      await handle.read(chunk, 0, chunk.length, offset);
      await handle.close();
      offset = size;
      raw.write(chunk);
    }
    if (closed || !writing) break;
    await sleep(followPollMs);
  }
  raw.end();
}

export function jobFileRoutes(app: ApiApp, ctx: ResourceContext) {
  const tags = ['resources'];
  app.get(
    '/teams/:team/resources/:id/logs',
    {
      schema: {
        tags,
        summary: 'The log files of a job: one entry per instance (and MPI rank)',
        params: Type.Object({ team: ref, id }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ task: Type.String(), stdoutBytes: Type.Integer(), stderrBytes: Type.Integer() }),
            ),
            next: Type.Null(),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { row, files } = await filesOf(ctx, callerOf(request), request.params.team, request.params.id);
      const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
      const items = (await files.logs(row.id)).map((log) => ({
        task: log.task,
        stdoutBytes: size(log.stdout),
        stderrBytes: size(log.stderr),
      }));
      return { items, next: null };
    },
  );

  app.get(
    '/teams/:team/resources/:id/logs/:task/:stream',
    {
      schema: {
        tags,
        summary: 'One log of one task as text; with follow=true it streams until the job ends',
        params: Type.Object({
          team: ref,
          id,
          task: Type.String({ pattern: '^i[0-9]+(-r[0-9]+)?$' }),
          stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
        }),
        querystring: Type.Object({ follow: Type.Optional(Type.Boolean({ default: false })) }),
        response: {
          200: Type.Unsafe<unknown>({ type: 'string', description: 'the log (text/plain)' }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { team, id: resourceId, task, stream } = request.params;
      const { path, row } = await taskLog(ctx, callerOf(request), team, resourceId, task, stream);
      if (request.query.follow) return follow(ctx, reply, path, row.id);
      return reply.type('text/plain; charset=utf-8').send(existsSync(path) ? createReadStream(path) : '');
    },
  );

  app.get(
    '/teams/:team/resources/:id/outputs/*',
    {
      schema: {
        tags,
        summary: 'Download a declared output: a file as is, a directory as a tar archive',
        params: Type.Object({
          team: ref,
          id,
          '*': Type.String({
            minLength: 1,
            maxLength: 1024,
            description: "the output's path as the job declared it (slashes as they are, or encoded as %2F)",
          }),
        }),
        response: {
          200: Type.Unsafe<unknown>({
            type: 'string',
            format: 'binary',
            description: 'the file, or a tar of the directory',
          }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const path = await outputFile(
        ctx,
        callerOf(request),
        request.params.team,
        request.params.id,
        request.params['*'],
      );
      const found = statSync(path);
      if (found.isDirectory()) {
        const tar = spawn('tar', ['-C', dirname(path), '-cf', '-', basename(path)], {
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        return reply
          .type('application/x-tar')
          .header('content-disposition', `attachment; filename="${basename(path)}.tar"`)
          .send(tar.stdout);
      }
      // The length lets a client show how far a download has come (a directory's archive is made as it is sent).
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="${basename(path)}"`)
        .header('content-length', found.size)
        .send(createReadStream(path));
    },
  );
}
