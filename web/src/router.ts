// Page addresses under /console/ with the History API: a page is a path pattern such as /teams/:team.
import { useEffect, useState } from 'preact/hooks';

export const base = '/console';

/** The console path of the current address (without /console), e.g. "/teams/web". */
export const currentPath = () => location.pathname.replace(/^\/console/, '') || '/';

export function navigate(path: string, options: { replace?: boolean } = {}) {
  const url = base + path;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The parameters of `pattern` in `path`, or undefined when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('?')[0].split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(have[index]);
    else if (part !== have[index]) return undefined;
  }
  return params;
}

/** Re-renders on every navigation; returns the current console path and query. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const changed = () => setTick((tick) => tick + 1);
    addEventListener('popstate', changed);
    return () => removeEventListener('popstate', changed);
  }, []);
  return { path: currentPath(), query: new URLSearchParams(location.search) };
}
