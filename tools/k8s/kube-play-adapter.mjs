// Turns what `helm template` renders into something `podman kube play` (4.3) runs on one machine with host
// networking, bridging exactly the gaps podman leaves (docs/operations.md, "The chart running as containers"):
//   Secrets      kube play reads secretKeyRef from podman's secret store, not from the YAML: every Secret the pods
//                need is listed (name and keys) for the caller to `podman secret create`; none is passed through.
//   Services     not implemented by podman: every workload gets its own host port, and each in-cluster address
//                http://<service>[:<port>] is rewritten to http://<host>:<that port> (with host networking podman
//                4.3 ignores hostAliases, so a Service name cannot be made to resolve). The process is told its new
//                port through ASPNETCORE_HTTP_PORTS.
//   probes       readiness is ignored and an httpGet liveness probe becomes curl inside the image: every probe
//                is removed from the pod and listed for the caller to poll from outside.
//   ports        every containerPort would be published on 0.0.0.0: removed (host networking needs none).
//   init         init containers race the others unless the pod says so: the annotation is added.
// Everything else that kube play ignores is listed as unproved, kind and name.
//
//   node kube-play-adapter.mjs RENDERED.yaml --out DIR --port-base N [--host 127.0.0.1]
//   -> DIR/play.yaml, DIR/workloads.json, DIR/secrets.json, DIR/unproved.txt
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";

export const INIT_ANNOTATION = "io.podman.annotations.init.container.type";
const RUN = new Set(["Deployment", "ConfigMap"]);
const BRIDGED = new Set(["Service", "Secret"]);

export function adapt(text, { portBase, host = "127.0.0.1" }) {
  if (!Number.isInteger(portBase) || portBase < 1 || portBase > 65535) throw new Error("--port-base must be a port");
  const docs = parseAllDocuments(text).map(d => d.toJS()).filter(d => d && d.kind);
  const deployments = docs.filter(d => d.kind === "Deployment");
  const services = docs.filter(d => d.kind === "Service");
  const unproved = docs.filter(d => !RUN.has(d.kind) && !BRIDGED.has(d.kind)).map(d => `${d.kind}/${d.metadata.name}`);

  const workloads = deployments.map((d, i) => {
    const port = portBase + i;
    if (port > 65535) throw new Error(`no port left for ${d.metadata.name}`);
    if ((d.spec.replicas ?? 1) > 1) {
      unproved.push(`replicas>1/${d.metadata.name} (host networking: one process per port, run with 1)`);
    }
    d.spec.replicas = 1;
    return { deployment: d, name: d.metadata.name, port };
  });

  // Service name and port -> the host port of the workload it selects.
  const addresses = new Map();
  for (const s of services) {
    const selector = s.spec.selector ?? {};
    const target = workloads.find(w => matches(w.deployment.spec.template.metadata?.labels ?? {}, selector));
    if (!target) throw new Error(`Service ${s.metadata.name} selects no Deployment`);
    for (const p of s.spec.ports ?? []) {
      containerPortOf(target.deployment, p.targetPort ?? p.port, s.metadata.name);
      addresses.set(`${s.metadata.name}:${p.port}`, target.port);
      if (p.port === 80) addresses.set(s.metadata.name, target.port);
    }
  }
  const rewrite = value => typeof value !== "string" ? value
    : value.replace(/(https?:\/\/)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(:(\d+))?(?=[/?#]|$)/g, (all, scheme, name, _, __, port) => {
      const to = addresses.get(port ? `${name}:${port}` : name);
      return to === undefined ? all : `${scheme}${host}:${to}`;
    });

  const configMaps = docs.filter(d => d.kind === "ConfigMap");
  for (const c of configMaps) for (const k of Object.keys(c.data ?? {})) c.data[k] = rewrite(c.data[k]);

  const secrets = new Map();
  const need = (name, key) => {
    if (!secrets.has(name)) secrets.set(name, new Set());
    if (key) secrets.get(name).add(key);
  };
  const probes = [];
  for (const w of workloads) {
    const pod = w.deployment.spec.template;
    const spec = pod.spec;
    if (spec.initContainers?.length) {
      pod.metadata ??= {};
      pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [INIT_ANNOTATION]: "always" };
    }
    for (const v of spec.volumes ?? []) if (v.secret) need(v.secret.secretName);
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      const served = (c.ports ?? []).length > 0;
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef) need(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
        if ("value" in e) e.value = rewrite(e.value);
      }
      for (const f of c.envFrom ?? []) if (f.secretRef) need(f.secretRef.name);
      if (served) {
        const env = (c.env ??= []);
        const listen = env.find(e => e.name === "ASPNETCORE_HTTP_PORTS");
        if (!listen || String(listen.value) !== String(c.ports[0].containerPort)) {
          throw new Error(`${w.name}/${c.name}: the port cannot be moved (no ASPNETCORE_HTTP_PORTS equal to its containerPort)`);
        }
        listen.value = String(w.port);
      }
      const probe = { workload: w.name, container: c.name, port: w.port };
      for (const kind of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        if (!c[kind]) continue;
        if (!c[kind].httpGet) throw new Error(`${w.name}/${c.name}: only httpGet probes are polled (${kind})`);
        probe[kind.replace("Probe", "")] = c[kind].httpGet.path;
        delete c[kind];
      }
      delete c.ports;
      probes.push({
        ...probe,
        user: c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser ?? null,
        readOnlyRootFilesystem: c.securityContext?.readOnlyRootFilesystem === true,
      });
    }
    delete spec.topologySpreadConstraints;
  }
  unproved.push(...workloads.filter(w => w.deployment.spec.template.spec.serviceAccountName)
    .map(w => `serviceAccountName/${w.name} (podman has no API server to hold accounts)`));

  const play = [...configMaps, ...workloads.map(w => w.deployment)].map(d => stringify(d)).join("---\n");
  return {
    play,
    workloads: probes,
    secrets: [...secrets].map(([name, keys]) => ({ name, keys: [...keys].sort() })),
    unproved,
  };
}

function matches(labels, selector) {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

function containerPortOf(deployment, target, service) {
  for (const c of deployment.spec.template.spec.containers) {
    for (const p of c.ports ?? []) if (p.name === target || p.containerPort === target) return p.containerPort;
  }
  throw new Error(`Service ${service}: targetPort ${target} is no port of ${deployment.metadata.name}`);
}

function main(argv) {
  const [file, ...rest] = argv;
  const opt = {};
  for (let i = 0; i < rest.length; i += 2) opt[rest[i].replace(/^--/, "")] = rest[i + 1];
  if (!file || !opt.out || !opt["port-base"]) {
    console.error("usage: kube-play-adapter.mjs RENDERED.yaml --out DIR --port-base N [--host IP]");
    process.exit(2);
  }
  const result = adapt(readFileSync(file, "utf8"), { portBase: Number(opt["port-base"]), host: opt.host });
  mkdirSync(opt.out, { recursive: true });
  writeFileSync(join(opt.out, "play.yaml"), result.play);
  writeFileSync(join(opt.out, "workloads.json"), JSON.stringify(result.workloads, null, 2));
  writeFileSync(join(opt.out, "secrets.json"), JSON.stringify(result.secrets, null, 2));
  writeFileSync(join(opt.out, "unproved.txt"), result.unproved.join("\n") + "\n");
  console.log(`${result.workloads.length} workload(s), ${result.secrets.length} secret(s) to create, ${result.unproved.length} object(s) not run here`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`kube-play-adapter: ${e.message}`);
    process.exit(1);
  }
}
