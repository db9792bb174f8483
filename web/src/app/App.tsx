import { QueryClientProvider } from '@tanstack/react-query'
import { lazy, useState } from 'react'
import { BrowserRouter, Navigate, Route, Routes } from 'react-router'
import { IncidentsPage } from '../incidents/IncidentsPage'
import { can, SessionProvider, useAuthStatus } from './auth'
import { AccountPage, LoginScreen, SetupScreen } from './AuthScreens'
import { Layout, Loading, NotAllowed, NotFound } from './Layout'
import { LiveProvider } from './live'
import { createQueryClient } from './queryClient'
import { ErrorNote } from '../components/ErrorNote'

// Screens other than the landing list load on first visit (the initial bundle stays small, docs/dashboard.md).
const IncidentDetail = lazy(() => import('../incidents/IncidentDetail'))
const MirrorPage = lazy(() => import('../mirrors/MirrorPage'))
const MirrorsPage = lazy(() => import('../mirrors/MirrorsPage'))
const SecurityPage = lazy(() => import('../security/SecurityPage'))
const DiagramsPage = lazy(() => import('../diagrams/DiagramsPage'))
const ExclusionsPage = lazy(() => import('../admin/ExclusionsPage'))
const AdminPage = lazy(() => import('../admin/AdminPage'))

function Gate() {
  const status = useAuthStatus()
  if (status.isPending) return <Loading what="Connecting to Kure Monitor" />
  if (status.isError) {
    return (
      <main className="center">
        <div>
          <h1>Kure Monitor</h1>
          <ErrorNote error={status.error} prefix="Cannot reach the backend" />
          <button type="button" onClick={() => void status.refetch()}>
            Try again
          </button>
        </div>
      </main>
    )
  }
  const data = status.data
  if (data.setup_required) return <SetupScreen />
  if (!data.authenticated || !data.user) return <LoginScreen />
  const user = data.user
  return (
    <SessionProvider value={{ user, role: user.role }}>
      <LiveProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<Navigate to="/incidents" replace />} />
            <Route path="incidents" element={<IncidentsPage />} />
            <Route path="incidents/:id" element={<IncidentDetail />} />
            <Route path="incidents/:id/mirror" element={can(user.role, 'write') ? <MirrorPage /> : <NotAllowed needed="write" />} />
            <Route path="mirrors" element={<MirrorsPage />} />
            <Route path="security" element={<SecurityPage />} />
            <Route path="diagrams/*" element={<DiagramsPage />} />
            <Route path="exclusions" element={<ExclusionsPage />} />
            <Route path="admin/*" element={can(user.role, 'admin') ? <AdminPage /> : <NotAllowed needed="admin" />} />
            <Route path="account" element={<AccountPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </LiveProvider>
    </SessionProvider>
  )
}

export function App() {
  const [client] = useState(createQueryClient)
  return (
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <Gate />
      </BrowserRouter>
    </QueryClientProvider>
  )
}
