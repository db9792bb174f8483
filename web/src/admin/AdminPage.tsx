// Administration (admin role): users, notifications, the LLM provider, settings.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { NavLink, Navigate, Route, Routes } from 'react-router'
import { api, listAll } from '../api/client'
import type { LlmTestResult, NotificationSetting, Role } from '../api/types'
import { useSession } from '../app/auth'
import { ConfirmButton } from '../components/ConfirmButton'
import { ErrorNote } from '../components/ErrorNote'
import { Time } from '../components/Time'

export default function AdminPage() {
  return (
    <section className="stack" aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      <nav className="row" aria-label="Administration">
        <NavLink className="button secondary" to="/admin/users">
          Users
        </NavLink>
        <NavLink className="button secondary" to="/admin/notifications">
          Notifications
        </NavLink>
        <NavLink className="button secondary" to="/admin/llm">
          AI provider
        </NavLink>
        <NavLink className="button secondary" to="/admin/settings">
          Settings
        </NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="users" replace />} />
        <Route path="users" element={<Users />} />
        <Route path="notifications" element={<Notifications />} />
        <Route path="llm" element={<Llm />} />
        <Route path="settings" element={<Settings />} />
      </Routes>
    </section>
  )
}

const ROLES: Role[] = ['read', 'write', 'admin']

function Users() {
  const client = useQueryClient()
  const me = useSession().user
  const users = useQuery({ queryKey: ['users'], queryFn: ({ signal }) => listAll('/api/admin/users', { signal }) })
  const [form, setForm] = useState({ username: '', password: '', role: 'read' as Role })
  const refresh = () => void client.invalidateQueries({ queryKey: ['users'] })
  const create = useMutation({
    mutationFn: () => api.post('/api/admin/users', { body: form }),
    onSuccess: () => {
      setForm({ username: '', password: '', role: 'read' })
      refresh()
    },
  })
  const patch = useMutation({
    mutationFn: ({ id, role, password }: { id: number; role?: Role; password?: string }) =>
      api.patch('/api/admin/users/{user_id}', { path: { user_id: id }, body: { role, password } }),
    onSuccess: refresh,
  })
  const remove = useMutation({
    mutationFn: (id: number) => api.delete('/api/admin/users/{user_id}', { path: { user_id: id } }),
    onSuccess: refresh,
  })
  const [resetting, setResetting] = useState<{ id: number; password: string } | null>(null)
  return (
    <section className="panel stack" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {users.error && <ErrorNote error={users.error} />}
      {[patch.error, remove.error].map((error, i) => (error ? <ErrorNote key={i} error={error} /> : null))}
      <table data-testid="user-table">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Last login</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((user) => (
            <tr key={user.id}>
              <td>
                {user.username}
                {user.id === me.id && <span className="small muted"> (you)</span>}
              </td>
              <td>
                <select
                  aria-label={`Role of ${user.username}`}
                  value={user.role}
                  disabled={user.id === me.id}
                  onChange={(e) => patch.mutate({ id: user.id, role: e.target.value as Role })}
                >
                  {ROLES.map((role) => (
                    <option key={role}>{role}</option>
                  ))}
                </select>
              </td>
              <td>
                <Time iso={user.created_at} />
              </td>
              <td>
                <Time iso={user.last_login_at} fallback="never" />
              </td>
              <td className="row">
                {resetting?.id === user.id ? (
                  <form
                    className="row"
                    onSubmit={(event) => {
                      event.preventDefault()
                      patch.mutate({ id: user.id, password: resetting.password })
                      setResetting(null)
                    }}
                  >
                    <label>
                      New password
                      <input type="password" autoComplete="new-password" minLength={8} required value={resetting.password} onChange={(e) => setResetting({ id: user.id, password: e.target.value })} />
                    </label>
                    <button type="submit">Set</button>
                    <button type="button" className="secondary" onClick={() => setResetting(null)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  <button type="button" className="secondary" onClick={() => setResetting({ id: user.id, password: '' })}>
                    Set password
                  </button>
                )}
                {user.id !== me.id && (
                  <ConfirmButton label="Delete" question={`Delete ${user.username}?`} onConfirm={() => remove.mutate(user.id)} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>New user</h3>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault()
          create.mutate()
        }}
      >
        <label>
          Username
          <input required minLength={3} maxLength={64} pattern="[A-Za-z0-9._@\-]+" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="new-password" required minLength={8} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        </label>
        <label>
          Role
          <select aria-label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={create.isPending}>
          Create user
        </button>
      </form>
      {create.error && <ErrorNote error={create.error} />}
    </section>
  )
}

const PROVIDERS = ['slack', 'teams', 'discord', 'webhook'] as const
const EVENTS = ['pod_failure', 'pod_resolved', 'security_finding'] as const
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const

function Notifications() {
  const client = useQueryClient()
  const settings = useQuery({ queryKey: ['notifications'], queryFn: ({ signal }) => listAll('/api/admin/notifications', { signal }) })
  const refresh = () => void client.invalidateQueries({ queryKey: ['notifications'] })
  const [editing, setEditing] = useState<NotificationSetting | 'new' | null>(null)
  const [results, setResults] = useState<Record<string, string>>({})
  const test = useMutation({
    mutationFn: (provider: string) => api.post('/api/admin/notifications/{provider}/test', { path: { provider } }),
    onSuccess: (_, provider) => setResults((r) => ({ ...r, [provider]: 'Test message delivered.' })),
    onError: (error, provider) => setResults((r) => ({ ...r, [provider]: `Test failed: ${(error as Error).message}` })),
  })
  const remove = useMutation({
    mutationFn: (provider: string) => api.delete('/api/admin/notifications/{provider}', { path: { provider } }),
    onSuccess: refresh,
  })
  const configured = new Set((settings.data ?? []).map((s) => s.provider))
  return (
    <section className="panel stack" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      {settings.error && <ErrorNote error={settings.error} />}
      {remove.error && <ErrorNote error={remove.error} />}
      {settings.data?.length === 0 && <p className="muted">No notification target is configured.</p>}
      {(settings.data ?? []).map((s) => (
        <div key={s.provider} className="panel stack" data-testid={`notification-${s.provider}`}>
          <div className="spread">
            <strong>
              {s.provider} {s.enabled ? '' : '(disabled)'}
            </strong>
            <div className="row">
              <button type="button" className="secondary" onClick={() => test.mutate(s.provider)} disabled={test.isPending}>
                Send a test
              </button>
              <button type="button" className="secondary" onClick={() => setEditing(s)}>
                Edit
              </button>
              <ConfirmButton label="Delete" question={`Delete the ${s.provider} target?`} onConfirm={() => remove.mutate(s.provider)} />
            </div>
          </div>
          <div className="small">
            <code>{String(s.config.webhook_url ?? '')}</code> · events: {s.events.join(', ')} · findings from {s.min_severity}
          </div>
          {results[s.provider] && (
            <div className={results[s.provider].startsWith('Test failed') ? 'alert alert-error' : 'alert alert-ok'} role="status">
              {results[s.provider]}
            </div>
          )}
        </div>
      ))}
      {editing ? (
        <NotificationForm
          setting={editing === 'new' ? null : editing}
          taken={configured}
          onDone={() => {
            setEditing(null)
            refresh()
          }}
        />
      ) : (
        configured.size < PROVIDERS.length && (
          <button type="button" onClick={() => setEditing('new')}>
            Add a notification target
          </button>
        )
      )}
    </section>
  )
}

function NotificationForm({ setting, taken, onDone }: { setting: NotificationSetting | null; taken: Set<string>; onDone: () => void }) {
  const [provider, setProvider] = useState<(typeof PROVIDERS)[number]>(
    (setting?.provider as (typeof PROVIDERS)[number]) ?? PROVIDERS.find((p) => !taken.has(p)) ?? 'webhook',
  )
  const [url, setUrl] = useState(String(setting?.config.webhook_url ?? ''))
  const [secret, setSecret] = useState('')
  const [enabled, setEnabled] = useState(setting?.enabled ?? true)
  const [events, setEvents] = useState<string[]>(setting?.events ?? [...EVENTS])
  const [severity, setSeverity] = useState<string>(setting?.min_severity ?? 'high')
  const save = useMutation({
    mutationFn: async () => {
      const config: Record<string, string> = { webhook_url: url }
      if (provider === 'webhook' && secret) config.secret = secret
      const body = { provider, enabled, config, events, min_severity: severity } as never
      if (setting) return api.put('/api/admin/notifications/{provider}', { path: { provider }, body })
      return api.post('/api/admin/notifications', { body })
    },
    onSuccess: onDone,
  })
  return (
    <form
      className="panel stack"
      onSubmit={(event) => {
        event.preventDefault()
        save.mutate()
      }}
    >
      <h3>{setting ? `Edit ${setting.provider}` : 'New notification target'}</h3>
      <label>
        Provider
        <select aria-label="Provider" value={provider} disabled={Boolean(setting)} onChange={(e) => setProvider(e.target.value as (typeof PROVIDERS)[number])}>
          {PROVIDERS.filter((p) => setting || !taken.has(p)).map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>
      <label>
        Webhook URL{setting ? ' (shown masked; leave it to keep the stored one)' : ''}
        <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} size={60} />
      </label>
      {provider === 'webhook' && (
        <label>
          HMAC secret (optional{setting?.config.has_secret ? '; one is stored' : ''})
          <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} />
        </label>
      )}
      <fieldset className="row">
        <legend>Events</legend>
        {EVENTS.map((e) => (
          <label key={e} className="inline">
            <input
              type="checkbox"
              checked={events.includes(e)}
              onChange={(ev) => setEvents(ev.target.checked ? [...events, e] : events.filter((x) => x !== e))}
            />
            {e}
          </label>
        ))}
      </fieldset>
      <label>
        Findings from severity
        <select aria-label="Findings from severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label className="inline">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
      </label>
      {save.error && <ErrorNote error={save.error} />}
      <div className="row">
        <button type="submit" disabled={save.isPending || events.length === 0}>
          Save
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}

const LLM_PROVIDERS = ['openai', 'anthropic', 'groq', 'gemini', 'ollama', 'copilot', 'openai_compatible'] as const

function Llm() {
  const client = useQueryClient()
  const status = useQuery({ queryKey: ['llm-status'], queryFn: ({ signal }) => api.get('/api/admin/llm/status', { signal }) })
  const [provider, setProvider] = useState<(typeof LLM_PROVIDERS)[number]>('openai')
  const [apiKey, setApiKey] = useState('')
  const [model, setModel] = useState('')
  const [baseUrl, setBaseUrl] = useState('')
  const [tested, setTested] = useState<LlmTestResult | null>(null)
  const withBase = provider === 'ollama' || provider === 'openai_compatible'
  const body = () =>
    ({
      provider,
      api_key: apiKey || (provider === 'ollama' ? '' : apiKey),
      model: model || undefined,
      base_url: withBase && baseUrl ? baseUrl : undefined,
    }) as never
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['llm-status'] })
    void client.invalidateQueries({ queryKey: ['config'] })
  }
  const test = useMutation({ mutationFn: () => api.post('/api/admin/llm/test', { body: body() }), onSuccess: setTested })
  const save = useMutation({ mutationFn: () => api.post('/api/admin/llm/config', { body: body() }), onSuccess: refresh })
  const remove = useMutation({ mutationFn: () => api.delete('/api/admin/llm/config'), onSuccess: refresh })
  const s = status.data
  return (
    <section className="panel stack" aria-labelledby="llm-title">
      <h2 id="llm-title">AI provider</h2>
      {status.error && <ErrorNote error={status.error} />}
      {s && (
        <p data-testid="llm-status">
          {s.configured ? (
            <>
              Configured: <strong>{s.provider}</strong>, model <code>{s.model}</code> at <code>{s.base_url}</code>, key{' '}
              <code>{s.key_hint ?? 'none'}</code>.
            </>
          ) : (
            'Not configured: solutions come from the rules engine only.'
          )}
        </p>
      )}
      {s?.configured && <ConfirmButton label="Remove the configuration" question="Turn AI off?" onConfirm={() => remove.mutate()} />}
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault()
          save.mutate()
        }}
      >
        <label>
          Provider
          <select aria-label="Provider" value={provider} onChange={(e) => setProvider(e.target.value as (typeof LLM_PROVIDERS)[number])}>
            {LLM_PROVIDERS.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          API key{provider === 'ollama' ? ' (optional)' : ''}
          <input type="password" autoComplete="off" value={apiKey} required={provider !== 'ollama'} onChange={(e) => setApiKey(e.target.value)} />
        </label>
        <label>
          Model{provider === 'openai_compatible' ? '' : ' (optional: the provider’s default)'}
          <input value={model} required={provider === 'openai_compatible'} onChange={(e) => setModel(e.target.value)} />
        </label>
        {withBase && (
          <label>
            Base URL
            <input type="url" value={baseUrl} required={provider === 'openai_compatible'} onChange={(e) => setBaseUrl(e.target.value)} size={50} />
          </label>
        )}
        <div className="row">
          <button type="button" className="secondary" onClick={() => test.mutate()} disabled={test.isPending}>
            {test.isPending ? 'Testing…' : 'Test'}
          </button>
          <button type="submit" disabled={save.isPending}>
            Save
          </button>
        </div>
      </form>
      {tested && (
        <div className={tested.success ? 'alert alert-ok' : 'alert alert-error'} role="status" data-testid="llm-test-result">
          {tested.message} ({tested.latency_ms} ms)
        </div>
      )}
      {[test.error, save.error, remove.error].map((error, i) => (error ? <ErrorNote key={i} error={error} /> : null))}
      {save.isSuccess && <div className="alert alert-ok">Saved: the next AI call uses it.</div>}
    </section>
  )
}

const SETTING_LABELS: Record<string, string> = {
  history_retention_minutes: 'Delete resolved incidents after (minutes, 0 = keep)',
  ignored_retention_minutes: 'Delete ignored incidents after (minutes, 0 = keep)',
  mirror_ttl_seconds: 'Default mirror pod lifetime (seconds)',
}

function Settings() {
  const settings = useQuery({ queryKey: ['settings'], queryFn: ({ signal }) => listAll('/api/admin/settings', { signal }) })
  return (
    <section className="panel stack" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {settings.error && <ErrorNote error={settings.error} />}
      {(settings.data ?? []).map((s) => (
        <SettingRow key={s.key} setting={s} />
      ))}
    </section>
  )
}

function SettingRow({ setting }: { setting: { key: string; value: number; default: number; min: number; max: number } }) {
  const client = useQueryClient()
  const [value, setValue] = useState(String(setting.value))
  const save = useMutation({
    mutationFn: () => api.post('/api/admin/settings/{key}', { path: { key: setting.key }, body: { value: Number(value) } as never }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['settings'] })
      void client.invalidateQueries({ queryKey: ['config'] })
    },
  })
  return (
    <form
      className="row"
      onSubmit={(event) => {
        event.preventDefault()
        save.mutate()
      }}
    >
      <label>
        {SETTING_LABELS[setting.key] ?? setting.key}
        <input type="number" min={setting.min} max={setting.max} value={value} onChange={(e) => setValue(e.target.value)} required />
      </label>
      <span className="small muted">
        {setting.min}–{setting.max}, default {setting.default}
      </span>
      <button type="submit" disabled={save.isPending}>
        Save
      </button>
      {save.isSuccess && <span className="small" role="status">Saved.</span>}
      {save.error && <ErrorNote error={save.error} />}
    </form>
  )
}
