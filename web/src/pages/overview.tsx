// The first page after signing in: who you are and the teams you belong to.
import { unwrap } from '../api/client.ts';
import { useApp } from '../shell/context.ts';
import type { PageProps } from '../shell/page.ts';
import { ErrorMessage } from '../ui/problem.tsx';
import { useLoad } from '../ui/use-load.ts';

export function OverviewPage(_props: PageProps) {
  const { api, user } = useApp();
  const me = useLoad(async () => unwrap(await api.GET('/api/v1/me')), []);
  return (
    <section>
      <h1 tabIndex={-1}>Overview</h1>
      <p>
        Signed in as <strong>{user.username}</strong>
        {user.isAdmin ? ' (platform admin)' : ''}.
      </p>
      <ErrorMessage error={me.error} />
      {me.data && <p>This session's token may: {me.data.scopes.join(', ')}.</p>}
    </section>
  );
}
