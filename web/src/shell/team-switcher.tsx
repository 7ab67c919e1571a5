// The team being looked at, chosen among the caller's teams; pages of a team follow it.
import { unwrap } from '../api/client.ts';
import { currentPath, navigate } from '../router.ts';
import { useLoad } from '../ui/use-load.ts';
import { useApp } from './context.ts';

export function TeamSwitcher() {
  const { api, team, chooseTeam } = useApp();
  const teams = useLoad(async () => unwrap(await api.GET('/api/v1/teams', { params: { query: { limit: 500 } } })), []);
  const names = teams.data?.items.map((item) => item.name) ?? [];
  if (team && !names.includes(team)) names.unshift(team);
  return (
    <div class="team-switcher">
      <label for="team-switcher">Team</label>
      <select
        id="team-switcher"
        value={team ?? ''}
        onChange={(event) => {
          const name = event.currentTarget.value;
          chooseTeam(name);
          // On a team's page, the same page of the other team.
          const path = currentPath();
          const match = /^\/teams\/[^/]+(\/[^/]+)?/.exec(path);
          if (match) navigate(`/teams/${encodeURIComponent(name)}${match[1] ?? ''}`);
        }}
      >
        {!team && <option value="">Choose a team</option>}
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
