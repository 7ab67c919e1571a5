// Fans committed events out to live subscribers, in id order, across processes sharing one database.
import { lastEventId, listEventsAfter, type EventRow } from './events.ts';
import type { Db } from './db.ts';

export type EventListener = (event: EventRow) => void;
/** Receives every event of one poll at once, in id order: one call per poll, however many events it found. */
export type BatchListener = (events: readonly EventRow[]) => void;

export interface ChangeFeedOptions {
  pollIntervalMs: number;
  gapTimeoutMs: number;
  /**
   * Commits that wake the feed within this long of its last poll share the next one: under load a
   * poll per commit would cost one query per commit and one write per subscriber per commit. The
   * window grows with the subscribers (a write each per poll), up to maxCoalesceMs.
   */
  coalesceMs: number;
  maxCoalesceMs: number;
}

const batchSize = 500;
const defaults: ChangeFeedOptions = { pollIntervalMs: 500, gapTimeoutMs: 1000, coalesceMs: 10, maxCoalesceMs: 25 };
/** Subscribers per extra millisecond of the coalescing window: 1,000 streams wait up to 25 ms. */
const subscribersPerMs = 40;

/** Reads the events after an id; the store's read connection where it has one. */
export type EventsAfter = (afterId: number, limit: number) => Promise<EventRow[]>;

export class ChangeFeed {
  private readonly listeners = new Set<BatchListener>();
  private cursor = 0;
  private gapSeenAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private delayed: NodeJS.Timeout | undefined;
  private lastPollAt = 0;
  private readonly db: Db;
  private readonly eventsAfter: EventsAfter;
  private readonly options: ChangeFeedOptions;

  constructor(db: Db, options: Partial<ChangeFeedOptions> = {}, eventsAfter?: EventsAfter) {
    this.db = db;
    this.options = { ...defaults, ...options };
    this.eventsAfter = eventsAfter ?? ((afterId, limit) => listEventsAfter(db, afterId, limit));
  }

  /** One call per event; resolves once the feed is positioned, so a backlog read made afterwards cannot miss one. */
  subscribe(listener: EventListener): Promise<() => void> {
    return this.subscribeBatches((events) => {
      for (const event of events) listener(event);
    });
  }

  /** As subscribe, but one call per poll with all its events (the same array for every subscriber). */
  async subscribeBatches(listener: BatchListener): Promise<() => void> {
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

  /** Called after a local commit: look for new events soon (within coalesceMs) instead of at the next tick. */
  poke(): void {
    if (this.listeners.size === 0 || this.delayed) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    const { coalesceMs, maxCoalesceMs } = this.options;
    const window = Math.min(maxCoalesceMs, Math.max(coalesceMs, this.listeners.size / subscribersPerMs));
    const wait = this.lastPollAt + window - Date.now();
    if (wait > 0) {
      this.delayed = setTimeout(() => {
        this.delayed = undefined;
        this.poke();
      }, wait);
      return;
    }
    this.lastPollAt = Date.now();
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
    clearTimeout(this.delayed);
    this.timer = undefined;
    this.delayed = undefined;
  }

  private async poll(): Promise<void> {
    let events: EventRow[];
    try {
      events = await this.eventsAfter(this.cursor, batchSize);
    } catch {
      return; // the database is closing or briefly unreachable: the next tick retries
    }
    const ready = this.inOrder(events);
    if (ready.length > 0) {
      this.cursor = ready[ready.length - 1].id;
      for (const listener of this.listeners) listener(ready);
    }
    if (events.length === batchSize && ready.length === events.length) this.pollAgain = true;
  }

  /** The events that may go out now: up to the first gap that is still young. */
  private inOrder(events: EventRow[]): EventRow[] {
    let previous = this.cursor;
    for (let i = 0; i < events.length; i++) {
      // A gap is a transaction that took its id but has not committed yet (PostgreSQL sequences):
      // wait for it a little, then move on, since a rolled-back transaction leaves a gap for ever.
      if (events[i].id !== previous + 1) {
        this.gapSeenAt ??= Date.now();
        if (Date.now() - this.gapSeenAt < this.options.gapTimeoutMs) return events.slice(0, i);
      }
      this.gapSeenAt = undefined;
      previous = events[i].id;
    }
    return events;
  }
}
