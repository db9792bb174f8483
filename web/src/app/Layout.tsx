import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Suspense } from 'react'
import { Link, NavLink, Outlet } from 'react-router'
import { api } from '../api/client'
import { can, signOutLocally, useSession } from './auth'
import { DependencyBanner, SimulatedBanner } from './banners'
import { LiveIndicator } from './live'

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status">
      {what}…
    </p>
  )
}

export function Layout() {
  const { user, role } = useSession()
  const client = useQueryClient()
  const logout = useMutation({
    mutationFn: () => api.post('/api/auth/logout'),
    onSettled: () => signOutLocally(client),
  })
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/incidents" className="brand" aria-label="Kure Monitor home">
          <img src="/favicon.svg" alt="" width={22} height={22} /> Kure Monitor
        </Link>
        <nav className="nav" aria-label="Main">
          <NavLink to="/incidents">Incidents</NavLink>
          <NavLink to="/mirrors">Mirror pods</NavLink>
          <NavLink to="/security">Security</NavLink>
          <NavLink to="/diagrams">Diagrams</NavLink>
          <NavLink to="/exclusions">Exclusions</NavLink>
          {can(role, 'admin') && <NavLink to="/admin">Admin</NavLink>}
        </nav>
        <LiveIndicator />
        <div className="userbox">
          <span data-testid="current-user">
            {user.username} <span className="small">({role})</span>
          </span>
          <NavLink to="/account">Account</NavLink>
          <button type="button" className="secondary" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Log out
          </button>
        </div>
      </header>
      <DependencyBanner />
      <SimulatedBanner />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  )
}

export function NotAllowed({ needed }: { needed: string }) {
  return (
    <div className="alert alert-error" role="alert">
      Not allowed: this screen needs the {needed} role.
    </div>
  )
}

export function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        <Link to="/incidents">Go to the incidents</Link>
      </p>
    </section>
  )
}
