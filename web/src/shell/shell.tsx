// The signed-in frame: a header (menu, team, user, logout), the current page, and a link to skip to it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Api } from '../api/client.ts';
import { pages } from '../pages/index.ts';
import { matchPath, useLocation } from '../router.ts';
import type { Session, SignedIn } from '../session.ts';
import { Link } from '../ui/link.tsx';
import { AppContext, type AppServices } from './context.ts';
import { TeamSwitcher } from './team-switcher.tsx';

const teamKey = 'cloudplane.team';

export function Shell(props: { api: Api; session: Session; user: SignedIn }) {
  const { api, session, user } = props;
  const { path, query } = useLocation();
  const [team, setTeam] = useState(sessionStorage.getItem(teamKey) ?? undefined);
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);

  const found = useMemo(() => {
    for (const page of pages) {
      const params = matchPath(page.path, path);
      if (params) return { page, params };
    }
    return undefined;
  }, [path]);
  const pageTeam = found?.params.team;
  useEffect(() => {
    if (pageTeam && pageTeam !== team) {
      sessionStorage.setItem(teamKey, pageTeam);
      setTeam(pageTeam);
    }
  }, [pageTeam]);
  // A new page: its title, and the keyboard focus on its heading (as a page load would).
  useEffect(() => {
    document.title = `${found?.page.title ?? 'Not found'} · cloudplane`;
    setMenuOpen(false);
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]);

  const services: AppServices = {
    api,
    session,
    user,
    team,
    chooseTeam: (name) => {
      sessionStorage.setItem(teamKey, name);
      setTeam(name);
    },
  };

  async function logout() {
    // A pasted API token belongs to the scripts it was made for: forgotten here, not revoked.
    if (!user.pasted)
      await api.DELETE('/api/v1/tokens/{tokenId}', { params: { path: { tokenId: user.tokenId } } }).catch(() => {});
    session.end();
  }

  const menu = pages.filter((page) => page.menu && (!page.admin || user.isAdmin));
  const Page = found?.page.component;
  return (
    <AppContext.Provider value={services}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">cloudplane</span>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav id="menu" aria-label="Console" class={menuOpen ? 'open' : ''}>
          <ul>
            {menu.map((page) => {
              const to = page.path.replace(':team', encodeURIComponent(team ?? ''));
              const disabled = page.path.includes(':team') && !team;
              return (
                <li key={page.path}>
                  {disabled ? (
                    <span class="disabled">{page.title}</span>
                  ) : (
                    <Link to={to} current={found?.page === page}>
                      {page.title}
                    </Link>
                  )}
                </li>
              );
            })}
          </ul>
        </nav>
        <TeamSwitcher />
        <span class="user">{user.username}</span>
        <button type="button" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <main id="main" ref={main}>
        {Page && found ? (
          <Page params={found.params} query={query} />
        ) : (
          <section>
            <h1 tabIndex={-1}>Not found</h1>
            <p>No console page at {path}.</p>
          </section>
        )}
      </main>
    </AppContext.Provider>
  );
}
