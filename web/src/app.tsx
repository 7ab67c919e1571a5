// The console: the login page while signed out, the shell with its pages once signed in.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api/client.ts';
import { LoginPage } from './pages/login.tsx';
import { Session } from './session.ts';
import { Shell } from './shell/shell.tsx';

export function App() {
  const session = useMemo(() => new Session(sessionStorage), []);
  const api = useMemo(() => createApi(session), [session]);
  const [user, setUser] = useState(session.current);
  useEffect(() => session.subscribe(() => setUser(session.current)), [session]);
  useEffect(() => {
    document.documentElement.dataset.signedIn = user ? 'yes' : 'no';
  }, [user]);
  return user ? <Shell api={api} session={session} user={user} /> : <LoginPage api={api} session={session} />;
}
