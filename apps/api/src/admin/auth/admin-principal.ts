import type { Request } from 'express';
import type { AdminRole } from '@fieldcast/database';

/** The signed-in admin behind a request, attached by AdminSessionGuard. */
export interface AdminPrincipal {
  userId: string;
  email: string;
  role: AdminRole;
  sessionId: string;
  csrfToken: string;
}

export type AdminRequest = Request & { fieldcastAdmin?: AdminPrincipal };

export function principalOf(request: Request): AdminPrincipal {
  const principal = (request as AdminRequest).fieldcastAdmin;
  // The guard runs before every handler that calls this; reaching here without one is a wiring bug.
  if (!principal) throw new Error('admin principal missing: is AdminSessionGuard applied to this controller?');
  return principal;
}
