{{/* The agent and the scanner: ServiceAccount, their Lease Role, and a Deployment whose replicas elect one
leader. Arguments: root, component (agent|scanner), values (their section), clusterRules, extraRules, env. */}}
{{- define "kure.incluster" -}}
{{- $root := .root -}}
{{- $name := include "kure.name" (dict "root" $root "component" .component) -}}
{{- $lease := $name -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "kure.labels" (dict "root" $root "component" .component) | nindent 4 }}
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ $name }}
  labels:
    {{- include "kure.labels" (dict "root" $root "component" .component) | nindent 4 }}
rules:
  {{- .clusterRules | trim | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ $name }}
  labels:
    {{- include "kure.labels" (dict "root" $root "component" .component) | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ $name }}
    namespace: {{ $root.Release.Namespace }}
---
# The leader Lease of this component (and, for the agent, its checkpoint ConfigMap). RBAC cannot limit `create`
# to a name (it is in the request body), so creating is granted in this namespace only.
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "kure.labels" (dict "root" $root "component" .component) | nindent 4 }}
rules:
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    verbs: [create]
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    resourceNames: [{{ $lease }}]
    verbs: [get, update]
  {{- with .extraRules }}
  {{- . | trim | nindent 2 }}
  {{- end }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "kure.labels" (dict "root" $root "component" .component) | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ $name }}
    namespace: {{ $root.Release.Namespace }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "kure.labels" (dict "root" $root "component" .component) | nindent 4 }}
spec:
  replicas: {{ .values.replicas }}
  selector:
    matchLabels:
      {{- include "kure.selectorLabels" (dict "root" $root "component" .component) | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 0, maxSurge: 1}
  template:
    metadata:
      labels:
        {{- include "kure.labels" (dict "root" $root "component" .component) | nindent 8 }}
      annotations:
        checksum/secret: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
    spec:
      serviceAccountName: {{ $name }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets: {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "kure.podSecurityContext" (dict "uid" 10001) | nindent 8 }}
      terminationGracePeriodSeconds: 30
      {{- with .values.nodeSelector }}
      nodeSelector: {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.tolerations }}
      tolerations: {{- toYaml . | nindent 8 }}
      {{- end }}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "kure.selectorLabels" (dict "root" $root "component" .component) | nindent 20 }}
      containers:
        - name: {{ .component }}
          image: {{ include "kure.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: ["kure-monitor", {{ .component | quote }}]
          ports:
            - {name: health, containerPort: 8080, protocol: TCP}
          env:
            - name: POD_NAME
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            - name: POD_NAMESPACE
              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
            {{- include "kure.secretEnv" (dict "root" $root "key" "SERVICE_TOKEN") | nindent 12 }}
            - {name: BACKEND_URL, value: {{ include "kure.backendUrl" $root | quote }}}
            - {name: KURE_LEASE_NAME, value: {{ $lease | quote }}}
            - {name: LOG_LEVEL, value: {{ .values.logLevel | quote }}}
            - {name: LOG_FORMAT, value: json}
            {{- with .env }}
            {{- . | trim | nindent 12 }}
            {{- end }}
            {{- with .values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          livenessProbe:
            httpGet: {path: /healthz, port: health}
            initialDelaySeconds: 10
            periodSeconds: 15
            timeoutSeconds: 5
            failureThreshold: 4
          readinessProbe:
            httpGet: {path: /readyz, port: health}
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          resources:
            {{- toYaml .values.resources | nindent 12 }}
          securityContext:
            {{- include "kure.containerSecurityContext" (dict "readOnly" true) | nindent 12 }}
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
            {{- include "kure.apiAccessMount" $root | nindent 12 }}
      volumes:
        - name: tmp
          emptyDir: {sizeLimit: 16Mi}
        {{- include "kure.apiAccessVolume" $root | nindent 8 }}
{{- end -}}
