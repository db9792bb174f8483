// Names for the shapes the screens use, all derived from the generated OpenAPI types (schema.d.ts).
import type { Item, Success } from './client'
import type { components } from './schema'

type Schemas = components['schemas']

export type AuthStatus = Success<'/api/auth/status', 'get'>
export type User = Schemas['User']
export type Role = User['role']
/** GET /api/config; `cluster_mode` is read when the backend sends it (a missing field means a real cluster). */
export type AppConfig = Success<'/api/config', 'get'> & { cluster_mode?: 'real' | 'simulated' | 'off' }
export type Health = Success<'/health', 'get'>

export type PodFailureSummary = Item<'/api/pods/failed'>
export type PodFailure = Success<'/api/pods/failed/{pod_id}', 'get'>
export type PodStatus = PodFailureSummary['status']
export type ContainerStatus = Schemas['ContainerStatus']
export type KubeEvent = Schemas['Event']
export type AccessSummary = Schemas['AccessSummary']
export type ImpactSummary = Schemas['ImpactSummary']
export type ServiceState = ImpactSummary['state']
export type SubjectRef = Schemas['SubjectRef']
export type PodAccess = Success<'/api/pods/{namespace}/{pod_name}/access', 'get'>
export type MirrorDelta = Schemas['MirrorDelta']
export type PodLogs = Success<'/api/pods/{namespace}/{pod_name}/logs', 'get'>

export type Finding = Item<'/api/security/findings'>
export type Severity = Finding['severity']
export type FindingFix = Success<'/api/security/findings/{finding_id}/fix', 'post'>
export type TrustedRegistry = Item<'/api/security/trusted-registries'>

export type Preview = Success<'/api/mirror/preview/{pod_id}', 'post'>
export type Mirror = Success<'/api/mirror/deploy/{pod_id}', 'post'>
export type MirrorSummary = Item<'/api/mirror/active'>
export type MirrorStatus = Success<'/api/mirror/status/{mirror_id}', 'get'>

export type DiagramGraph = Success<'/api/diagram/namespace/{namespace}', 'get'>
export type DiagramNode = Schemas['DiagramNode']
export type DiagramEdge = Schemas['DiagramEdge']
export type RoleList = Success<'/api/diagram/roles', 'get'>
export type ManifestView = Success<'/api/diagram/manifest/{namespace}/{kind}/{name}', 'get'>

export type ExcludedNamespace = Item<'/api/admin/excluded-namespaces'>
export type ExcludedPod = Item<'/api/admin/excluded-pods'>
export type NotificationSetting = Item<'/api/admin/notifications'>
export type LlmStatus = Success<'/api/admin/llm/status', 'get'>
export type LlmTestResult = Success<'/api/admin/llm/test', 'post'>
export type SettingInfo = Item<'/api/admin/settings'>
