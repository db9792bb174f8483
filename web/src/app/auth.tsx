// Who is logged in, and what they may do. The backend decides (every route has its guard); the dashboard only
// hides controls a role cannot use: read sees no write controls, write sees no admin screens.
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { createContext, useContext, useEffect } from 'react'
import { api, onApiError } from '../api/client'
import type { AuthStatus, Role } from '../api/types'

export type UserRef = NonNullable<AuthStatus['user']>

const RANK: Record<Role, number> = { read: 0, write: 1, admin: 2 }

export function can(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[needed]
}

export const AUTH_KEY = ['auth-status'] as const
export const SIGNED_OUT: AuthStatus = { setup_required: false, authenticated: false, user: null }

interface Session {
  user: UserRef
  role: Role
}

const SessionContext = createContext<Session | null>(null)

export const SessionProvider = SessionContext.Provider

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside a signed-in page')
  return session
}

/** True when the signed-in user has at least `needed`. */
export function useCan(needed: Role): boolean {
  return can(useContext(SessionContext)?.role, needed)
}

export function useAuthStatus() {
  const client = useQueryClient()
  const query = useQuery({
    queryKey: AUTH_KEY,
    queryFn: () => api.get('/api/auth/status'),
    staleTime: Infinity,
  })
  // Any 401 outside the auth routes means the session ended (logout elsewhere, expiry, user deleted).
  useEffect(
    () =>
      onApiError((error, path) => {
        if (error.status === 401 && !path.startsWith('/api/auth/')) signOutLocally(client)
      }),
    [client],
  )
  return query
}

export function signOutLocally(client: ReturnType<typeof useQueryClient>): void {
  client.setQueryData(AUTH_KEY, SIGNED_OUT)
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== AUTH_KEY[0] })
}
