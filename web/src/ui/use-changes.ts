// Calls `changed` (debounced) when the change feed reports something that `concerns` the page, and says
// whether the page is live; a page thus shows a state change without a reload.
import { useEffect, useRef, useState } from 'preact/hooks';
import { followChanges, type FeedEvent, type FeedOptions, type FeedState } from '../api/change-feed.ts';
import { useApp } from '../shell/context.ts';

/** `scope` narrows the feed on the server (one team, one object); `concerns` picks among what it carries. */
export function useChanges(
  scope: Pick<FeedOptions, 'team' | 'object'>,
  concerns: (event: FeedEvent) => boolean,
  changed: () => void,
  deps: unknown[],
): FeedState {
  const { api } = useApp();
  const [state, setState] = useState<FeedState>('connecting');
  const latest = useRef({ concerns, changed });
  latest.current = { concerns, changed };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => latest.current.changed(), 150);
    };
    const stop = followChanges(api, {
      team: scope.team,
      object: scope.object,
      onEvent: (event) => latest.current.concerns(event) && soon(),
      onState: (next, resumed) => {
        setState(next);
        // Subscribed from now on: one fresh read covers what changed before. A resumed stream replays the gap.
        if (next === 'live' && !resumed) soon();
      },
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [api, scope.team, scope.object, ...deps]);
  return state;
}

export const feedLabel: Record<FeedState, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live: changes appear as they happen',
  reconnecting: 'Reconnecting to live updates…',
  closed: 'Live updates stopped',
};
