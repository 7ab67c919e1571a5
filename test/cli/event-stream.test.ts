// Reading a text/event-stream body the way the `watch` command does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readEvents } from '../../src/cli/event-stream.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const events = [];
  for await (const event of readEvents(streamOf(chunks))) events.push(event);
  return events;
}

test('comments are skipped and id, event and data are read', async () => {
  assert.deepEqual(await collect([': hello\n\n', 'id: 7\nevent: resource.created\ndata: {"a":1}\n\n']), [
    { id: '7', event: 'resource.created', data: '{"a":1}' },
  ]);
});

test('an event split across chunks, with CRLF split between them, is read once', async () => {
  assert.deepEqual(await collect(['id: 1\r', '\ndata: x\r\n', '\r\nid: 2\ndata: y\n\n']), [
    { id: '1', event: 'message', data: 'x' },
    { id: '2', event: 'message', data: 'y' },
  ]);
});

test('several data lines join with newlines; an unfinished event at the end is dropped', async () => {
  assert.deepEqual(await collect(['data: a\ndata: b\n\ndata: cut off']), [
    { id: undefined, event: 'message', data: 'a\nb' },
  ]);
});
