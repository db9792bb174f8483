// First-admin setup, login and (signed in) change of one's own password.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, ApiError } from '../api/client'
import { ErrorNote, useCountdown } from '../components/ErrorNote'
import { AUTH_KEY } from './auth'

function useSignedIn() {
  const client = useQueryClient()
  return (user: { id: number; username: string; role: 'read' | 'write' | 'admin' }) =>
    client.setQueryData(AUTH_KEY, {
      setup_required: false,
      authenticated: true,
      user: { id: user.id, username: user.username, role: user.role },
    })
}

export function LoginScreen() {
  const signedIn = useSignedIn()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const login = useMutation({
    mutationFn: () => api.post('/api/auth/login', { body: { username, password } }),
    onSuccess: (data) => signedIn(data.user),
  })
  const wait = useCountdown(login.error instanceof ApiError ? login.error.retryAfter : null)
  return (
    <div className="center">
      <section className="panel auth-card" aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Kure Monitor</h1>
        <form
          onSubmit={(event) => {
            event.preventDefault()
            login.mutate()
          }}
        >
          <label>
            Username
            <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
          </label>
          <label>
            Password
            <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {login.error && <ErrorNote error={login.error} />}
          <button type="submit" disabled={login.isPending || wait > 0}>
            {wait > 0 ? `Wait ${wait} s` : login.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </section>
    </div>
  )
}

export function SetupScreen() {
  const signedIn = useSignedIn()
  const [username, setUsername] = useState('admin')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const signup = useMutation({
    mutationFn: () => api.post('/api/auth/signup', { body: { username, password } }),
    onSuccess: (data) => signedIn(data.user),
  })
  const mismatch = confirm.length > 0 && confirm !== password
  return (
    <div className="center">
      <section className="panel auth-card" aria-labelledby="setup-title">
        <h1 id="setup-title">Welcome to Kure Monitor</h1>
        <p>No user exists yet. Create the first administrator account.</p>
        <form
          onSubmit={(event) => {
            event.preventDefault()
            if (!mismatch) signup.mutate()
          }}
        >
          <label>
            Username
            <input name="username" autoComplete="username" required minLength={3} maxLength={64} pattern="[A-Za-z0-9._@\-]+" value={username} onChange={(e) => setUsername(e.target.value)} />
          </label>
          <label>
            Password (at least 8 characters)
            <input name="password" type="password" autoComplete="new-password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          <label>
            Repeat the password
            <input name="confirm" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} aria-invalid={mismatch} />
          </label>
          {mismatch && <div className="alert alert-error" role="alert">The passwords differ.</div>}
          {signup.error && <ErrorNote error={signup.error} />}
          <button type="submit" disabled={signup.isPending || mismatch}>
            Create administrator
          </button>
        </form>
      </section>
    </div>
  )
}

export function AccountPage() {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const change = useMutation({
    mutationFn: () => api.post('/api/auth/password', { body: { current_password: current, new_password: next } }),
    onSuccess: () => {
      setCurrent('')
      setNext('')
      setConfirm('')
    },
  })
  const mismatch = confirm.length > 0 && confirm !== next
  return (
    <section className="panel auth-card" aria-labelledby="account-title">
      <h1 id="account-title">Change your password</h1>
      <p className="small muted">Your other sessions are signed out; this one stays signed in.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (!mismatch) change.mutate()
        }}
      >
        <label>
          Current password
          <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label>
          New password (at least 8 characters)
          <input type="password" autoComplete="new-password" required minLength={8} value={next} onChange={(e) => setNext(e.target.value)} />
        </label>
        <label>
          Repeat the new password
          <input type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} aria-invalid={mismatch} />
        </label>
        {mismatch && <div className="alert alert-error" role="alert">The passwords differ.</div>}
        {change.error && <ErrorNote error={change.error} />}
        {change.isSuccess && <div className="alert alert-ok" role="status">Password changed.</div>}
        <button type="submit" disabled={change.isPending || mismatch}>
          Change password
        </button>
      </form>
    </section>
  )
}
