// Fans committed events out to live subscribers, in id order, across processes sharing one database.
import { lastEventId, listEventsAfter, type EventRow } from './events.ts';
import type { Db } from './store.ts';

export type EventListener = (event: EventRow) => void;

const batchSize = 500;

export class ChangeFeed {
  private readonly listeners = new Set<EventListener>();
  private cursor = 0;
  private gapSeenAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private db: Db;
  private options: { pollIntervalMs: number; gapTimeoutMs: number };

  constructor(db: Db, options = { pollIntervalMs: 500, gapTimeoutMs: 1000 }) {
    this.db = db;
    this.options = options;
  }

  /** Resolves once the feed is positioned, so a backlog read made afterwards cannot miss an event. */
  async subscribe(listener: EventListener): Promise<() => void> {
    if (this.listeners.size === 0) {
      this.cursor = await lastEventId(this.db);
      this.timer = setInterval(() => this.poke(), this.options.pollIntervalMs);
      this.timer.unref();
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Called after a local commit: look for new events now instead of at the next tick. */
  poke(): void {
    if (this.listeners.size === 0) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll().finally(() => {
      this.polling = undefined;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.poke();
      }
    });
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    let events: EventRow[];
    try {
      events = await listEventsAfter(this.db, this.cursor, batchSize);
    } catch {
      return; // the database is closing or briefly unreachable: the next tick retries
    }
    for (const event of events) {
      // A gap is a transaction that took its id but has not committed yet (PostgreSQL sequences):
      // wait for it a little, then move on, since a rolled-back transaction leaves a gap for ever.
      if (event.id !== this.cursor + 1) {
        this.gapSeenAt ??= Date.now();
        if (Date.now() - this.gapSeenAt < this.options.gapTimeoutMs) return;
      }
      this.gapSeenAt = undefined;
      this.cursor = event.id;
      for (const listener of this.listeners) listener(event);
    }
    if (events.length === batchSize) this.pollAgain = true;
  }
}
