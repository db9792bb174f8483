{{/* Names: <release>-kure-monitor unless the release name already says kure-monitor. */}}
{{- define "kure.fullname" -}}
{{- if contains "kure-monitor" .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-kure-monitor" .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kure.name" -}}
{{- printf "%s-%s" (include "kure.fullname" .root) .component -}}
{{- end -}}

{{- define "kure.selectorLabels" -}}
app.kubernetes.io/name: kure-monitor
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kure.labels" -}}
{{ include "kure.selectorLabels" . }}
app.kubernetes.io/part-of: kure-monitor
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "kure.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "kure.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "kure.fullname" .)) -}}
{{- end -}}

{{- define "kure.backendUrl" -}}
{{- printf "http://%s.%s.svc:%v" (include "kure.name" (dict "root" . "component" "backend")) .Release.Namespace .Values.backend.service.port -}}
{{- end -}}

{{/* The restricted Pod Security Standard, for every pod of the chart. */}}
{{- define "kure.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "kure.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: {{ .readOnly | default false }}
capabilities:
  drop: [ALL]
{{- end -}}

{{/* The API token, mounted on purpose: short-lived, with the cluster CA and the namespace, where the Kubernetes
client's in-cluster configuration reads them. */}}
{{- define "kure.apiAccessVolume" -}}
- name: kube-api-access
  projected:
    sources:
      - serviceAccountToken:
          path: token
          expirationSeconds: 3600
      - configMap:
          name: kube-root-ca.crt
          items:
            - key: ca.crt
              path: ca.crt
      - downwardAPI:
          items:
            - path: namespace
              fieldRef:
                fieldPath: metadata.namespace
{{- end -}}

{{- define "kure.apiAccessMount" -}}
- name: kube-api-access
  mountPath: /var/run/secrets/kubernetes.io/serviceaccount
  readOnly: true
{{- end -}}

{{- define "kure.secretEnv" -}}
- name: {{ .key }}
  valueFrom:
    secretKeyRef: {name: {{ include "kure.secretName" .root }}, key: {{ .key }}}
{{- end -}}
