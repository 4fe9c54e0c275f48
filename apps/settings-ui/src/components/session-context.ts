import { createContext, useContext } from 'react';
import type { User } from '../api/types';

export interface SessionValue {
  user: User;
  canEdit: boolean;
  signOut(): void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside the signed-in app');
  return value;
}
