// Proves that releases installed side by side share nothing: one deployment per municipality, each in its own
// namespace with its own PostgreSQL and RabbitMQ (docs/operations.md, "One deployment per municipality").
// Each argument is one release as it would be applied: NAMESPACE=FILE, where FILE holds the chart rendered with
// `helm template -n NAMESPACE` followed by the operator examples (charts/examples) applied in that namespace.
// Fails on any two releases that would claim the same
//   name      namespaced kind/name (or cluster-scoped kind/name),
//   route     Ingress host + path, HTTPRoute hostname,
//   queue     broker + queue: a service's queue is named after the service (Samskaping.Messaging), on the
//             RabbitmqCluster its connection string names — create-secrets.sh writes the one of its namespace,
//   database  PostgreSQL cluster + database: the Database resource of that service's name on the Cluster of
//             its namespace (create-secrets.sh again).
// Usage: node no-collisions.mjs NS=FILE NS=FILE...      (exit 1 on a collision, or when a release's queues or
// databases cannot be placed)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const clusterScoped = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PriorityClass", "StorageClass",
  "CustomResourceDefinition", "IngressClass", "PersistentVolume", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"]);
const claims = new Map(); // "kind of claim: key" -> release
const problems = [];
const counts = { name: 0, route: 0, queue: 0, database: 0 };

function claim(kind, key, release) {
  const id = `${kind} ${key}`;
  const owner = claims.get(id);
  if (owner !== undefined && owner !== release) problems.push(`collision: ${id} is claimed by ${owner} and ${release}`);
  else if (owner === release && kind === "name") problems.push(`${release} renders ${key} twice`);
  claims.set(id, release);
  counts[kind]++;
}

const envFromSecret = (container, name) => (container.env ?? []).find(e => e.name === name && e.valueFrom?.secretKeyRef);

for (const argument of process.argv.slice(2)) {
  const [namespace, file] = argument.split("=");
  const release = `${namespace} (${file})`;
  const docs = parseAllDocuments(readFileSync(file, "utf8")).map(d => d.toJS()).filter(Boolean);
  const rabbit = docs.filter(d => d.kind === "RabbitmqCluster");
  const pgCluster = docs.filter(d => d.kind === "Cluster" && d.apiVersion?.startsWith("postgresql.cnpg.io/"));
  const databases = docs.filter(d => d.kind === "Database" && d.apiVersion?.startsWith("postgresql.cnpg.io/"));
  for (const d of docs) {
    const ns = d.metadata?.namespace ?? namespace;
    claim("name", clusterScoped.has(d.kind) ? `${d.kind}/${d.metadata.name}` : `${ns}/${d.kind}/${d.metadata.name}`, release);
    if (d.kind === "Ingress") {
      for (const rule of d.spec?.rules ?? []) {
        for (const path of rule.http?.paths ?? [{ path: "/" }]) claim("route", `${rule.host ?? "*"}${path.path ?? "/"}`, release);
      }
    }
    if (d.kind === "HTTPRoute") {
      const parents = (d.spec?.parentRefs ?? []).map(p => `${p.namespace ?? ns}/${p.name}`).join(",");
      for (const host of d.spec?.hostnames ?? ["*"]) claim("route", `${parents} ${host}`, release);
    }
    if (d.kind !== "Deployment") continue;
    const workload = d.spec.template.metadata.labels["app.kubernetes.io/name"];
    for (const container of d.spec.template.spec.containers ?? []) {
      if (envFromSecret(container, "ConnectionStrings__RabbitMq")) {
        if (rabbit.length !== 1) problems.push(`${release}: ${workload} uses RabbitMQ, but the namespace has ${rabbit.length} RabbitmqCluster(s), not one`);
        // The service's queue and MassTransit's error and skipped queues beside it.
        else for (const queue of [workload, `${workload}_error`, `${workload}_skipped`]) claim("queue", `${ns}/${rabbit[0].metadata.name} /${queue}`, release);
      }
      if (envFromSecret(container, "ConnectionStrings__Database")) {
        const db = databases.find(x => x.spec.name === workload);
        if (pgCluster.length !== 1 || !db) problems.push(`${release}: ${workload} uses PostgreSQL, but the namespace has no Database ${workload} on one Cluster`);
        else claim("database", `${ns}/${db.spec.cluster.name}/${db.spec.name}`, release);
      }
    }
  }
}
for (const p of problems) console.error(`FAIL ${p}`);
console.log(`${process.argv.length - 2} releases: ${counts.name} names, ${counts.route} routes, ${counts.queue} queues, ${counts.database} databases; ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
