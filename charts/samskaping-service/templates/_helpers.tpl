{{/* The workload's short name: the umbrella's alias (cases, gateway, …) or nameOverride. */}}
{{- define "svc.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<name>: predictable, so the gateway can address its siblings. */}}
{{- define "svc.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "svc.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "svc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "svc.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "svc.labels" -}}
{{ include "svc.selectorLabels" . }}
app.kubernetes.io/component: {{ .Values.role }}
app.kubernetes.io/part-of: samskaping
app.kubernetes.io/version: {{ include "svc.tag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "svc.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "svc.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "svc.tag" -}}
{{- .Values.image.tag | default .Values.global.imageTag | default .Chart.AppVersion -}}
{{- end -}}

{{- define "svc.image" -}}
{{- $repo := .Values.image.repository -}}
{{- with .Values.global.imageRegistry -}}{{- $repo = printf "%s/%s" (trimSuffix "/" .) $repo -}}{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repo .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (include "svc.tag" .) -}}
{{- end -}}
{{- end -}}

{{/*
A sibling workload, in this release or installed as a release of its own (its own namespace): a peer, a caller,
a route. ref is a workload name or {workload|name, release?, namespace?}; release defaults to this release.
*/}}
{{- define "svc.ref" -}}
{{- $root := index . 0 -}}
{{- $ref := index . 1 -}}
{{- if kindIs "string" $ref -}}{{- $ref = dict "workload" $ref -}}{{- end -}}
{{- $name := $ref.workload | default $ref.name -}}
{{- toYaml (dict "name" $name "release" ($ref.release | default $root.Release.Name) "namespace" ($ref.namespace | default "")) -}}
{{- end -}}

{{/* host[:port] of a sibling: <release>-<name> in this namespace, <release>-<name>.<namespace>.svc in another. */}}
{{- define "svc.refAddress" -}}
{{- $root := index . 0 -}}
{{- $r := include "svc.ref" . | fromYaml -}}
{{- $host := printf "%s-%s" $r.release $r.name -}}
{{- if $r.namespace -}}{{- $host = printf "%s.%s.svc" $host $r.namespace -}}{{- end -}}
{{- printf "http://%s:%d" $host (int $root.Values.routeServicePort) -}}
{{- end -}}

{{/* The NetworkPolicyPeer of a sibling's pods (one list item). */}}
{{- define "svc.refPeer" -}}
{{- $r := include "svc.ref" . | fromYaml -}}
- podSelector:
    matchLabels:
      app.kubernetes.io/instance: {{ $r.release }}
      app.kubernetes.io/name: {{ $r.name }}
  {{- with $r.namespace }}
  namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ . }}
  {{- end }}
{{- end -}}

{{/* Fails the render early, with a clear message, for settings the processes would refuse at start-up. */}}
{{- define "svc.validate" -}}
{{- $auth := .Values.global.auth -}}
{{- if and (not $auth.authority) (not $auth.signingKeySecret.name) -}}
{{- fail "global.auth: set authority (the OIDC provider, production) or signingKeySecret.name (an existing Secret with a base64 HS256 key, development)" -}}
{{- end -}}
{{- if eq .Values.role "service" -}}
{{- if and .Values.database.enabled (not .Values.database.secretName) -}}
{{- fail (printf "%s: database.secretName must name an existing Secret with the service's connection string (or set database.enabled: false)" (include "svc.name" .)) -}}
{{- end -}}
{{- if and .Values.rabbitmq.enabled (not .Values.rabbitmq.secretName) -}}
{{- fail (printf "%s: rabbitmq.secretName must name an existing Secret with the amqp:// connection string (or set rabbitmq.enabled: false)" (include "svc.name" .)) -}}
{{- end -}}
{{- end -}}
{{- if and (eq .Values.role "gateway") (not .Values.routes) -}}
{{- fail "the gateway needs routes: the names of the services it forwards to" -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- fail (printf "%s: autoscaling.minReplicas is larger than maxReplicas" (include "svc.name" .)) -}}
{{- end -}}
{{- end -}}

{{/* Environment settings from values other than "config": global.config, then those derived from other values;
"config" entries win over both, and global.config over the derived ones. */}}
{{- define "svc.derivedConfig" -}}
{{- $c := dict "Auth__Issuer" .Values.global.auth.issuer "Auth__Audience" .Values.global.auth.audience -}}
{{- with .Values.global.auth.authority -}}{{- $_ := set $c "Auth__Authority" . -}}{{- end -}}
{{- with .Values.global.otlpEndpoint -}}{{- $_ := set $c "OTEL_EXPORTER_OTLP_ENDPOINT" . -}}{{- end -}}
{{- if eq .Values.role "service" -}}
{{- $_ := set $c "Database__CreateIfMissing" "false" -}}
{{- end -}}
{{- range .Values.peers -}}
{{- $_ := set $c .env (printf "%s%s" (include "svc.refAddress" (list $ .)) (default "" .path)) -}}
{{- end -}}
{{- if eq .Values.role "gateway" -}}
{{- range .Values.routes -}}
{{- $name := (include "svc.ref" (list $ .) | fromYaml).name -}}
{{- $_ := set $c (printf "ReverseProxy__Clusters__%s__Destinations__%s__Address" $name $name) (include "svc.refAddress" (list $ .)) -}}
{{- end -}}
{{- end -}}
{{- toYaml (merge (deepCopy .Values.config) (deepCopy (.Values.global.config | default dict)) $c) -}}
{{- end -}}

{{/* "k=v,k2=v2" (an equality label selector, as for kubectl -l) as a map. */}}
{{- define "svc.labelMap" -}}
{{- $m := dict -}}
{{- range (splitList "," .) -}}{{- with . -}}{{- $kv := splitList "=" . -}}{{- $_ := set $m (first $kv) (last $kv) -}}{{- end -}}{{- end -}}
{{- toYaml $m -}}
{{- end -}}

{{/* DNS: pods matching dns.podSelector in namespaces matching dns.namespaceSelector, and dns.cidrs. */}}
{{- define "svc.dnsTarget" -}}
{{- $dns := . -}}
{{- $to := list -}}
{{- if or $dns.podSelector $dns.namespaceSelector -}}
{{- $peer := dict "namespaceSelector" (dict) -}}
{{- with $dns.namespaceSelector -}}{{- $_ := set $peer "namespaceSelector" (dict "matchLabels" (include "svc.labelMap" . | fromYaml)) -}}{{- end -}}
{{- with $dns.podSelector -}}{{- $_ := set $peer "podSelector" (dict "matchLabels" (include "svc.labelMap" . | fromYaml)) -}}{{- end -}}
{{- $to = append $to $peer -}}
{{- end -}}
{{- range $dns.cidrs -}}{{- $to = append $to (dict "ipBlock" (dict "cidr" .)) -}}{{- end -}}
{{- toYaml (dict "to" $to "ports" $dns.ports) -}}
{{- end -}}

{{- define "svc.egressRule" -}}
{{- $target := index . 0 -}}
{{- $protocols := index . 1 -}}
- ports:
  {{- range $target.ports }}
  {{- $port := . }}
  {{- range $protocols }}
    - protocol: {{ . }}
      port: {{ $port }}
  {{- end }}
  {{- end }}
  {{- with $target.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
