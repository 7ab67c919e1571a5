// What every page may use: the API client, the session, and the team being looked at.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from '../api/client.ts';
import type { Session, SignedIn } from '../session.ts';

export interface AppServices {
  api: Api;
  session: Session;
  user: SignedIn;
  /** The team chosen in the header (name), if any; pages of a team take it from their path instead. */
  team: string | undefined;
  chooseTeam: (team: string) => void;
}

export const AppContext = createContext<AppServices | undefined>(undefined);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp outside the signed-in shell');
  return services;
}
