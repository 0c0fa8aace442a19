// Validates the documented example manifests (charts/examples/*.yaml) offline.
// Kubernetes' own kinds go through validate-k8s.mjs. The operators' kinds (RabbitmqCluster, CloudNativePG's
// Cluster and Database) have no offline schema package, so they are checked STRUCTURALLY against the small
// schemas below, written from the operators' API references for exactly the fields the examples use: the
// right apiVersion/kind, known field names (unknown ones fail), types, and the facts the issue asks for
// (3 RabbitMQ replicas, 3 PostgreSQL instances, one Database per service owned by a managed role; a backup to an
// object store whose credentials come from a Secret; a pooler; max_connections large enough for every pool the
// services may open, from values-production.yaml's maxReplicas and create-secrets.sh's Maximum Pool Size).
// Usage: node validate-examples.mjs FILE...      (exit 1 on any problem)
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { parseAllDocuments, stringify } from "yaml";
import Ajv from "ajv";

const str = { type: "string", minLength: 1 };
const secretKeyRef = { type: "object", additionalProperties: false, properties: { name: str, key: str }, required: ["name", "key"] };
const obj = (properties, required = []) => ({ type: "object", additionalProperties: false, properties, required });
const quantity = { type: ["string", "integer"] };
const resources = obj({ requests: obj({ cpu: quantity, memory: quantity }), limits: obj({ cpu: quantity, memory: quantity }) });
const metadata = obj({ name: str, namespace: str, labels: { type: "object" }, annotations: { type: "object" } }, ["name"]);
const doc = (apiVersion, kind, spec) => obj({ apiVersion: { const: apiVersion }, kind: { const: kind }, metadata, spec }, ["apiVersion", "kind", "metadata", "spec"]);

const schemas = {
  "rabbitmq.com/v1beta1/RabbitmqCluster": doc("rabbitmq.com/v1beta1", "RabbitmqCluster", obj({
    replicas: { const: 3 },
    image: str,
    resources,
    persistence: obj({ storage: quantity, storageClassName: str }),
    rabbitmq: obj({ additionalConfig: { type: "string" }, additionalPlugins: { type: "array", items: str } }),
    affinity: { type: "object" },
    tolerations: { type: "array" },
    // override is a partial StatefulSet/Service, merged by the operator: validated as Kubernetes below.
    override: obj({ statefulSet: { type: "object" }, service: { type: "object" } }),
  }, ["replicas"])),
  "postgresql.cnpg.io/v1/Cluster": doc("postgresql.cnpg.io/v1", "Cluster", obj({
    instances: { const: 3 },
    imageName: str,
    primaryUpdateStrategy: { enum: ["unsupervised", "supervised"] },
    storage: obj({ size: quantity, storageClass: str }, ["size"]),
    affinity: obj({ enablePodAntiAffinity: { type: "boolean" }, topologyKey: str, podAntiAffinityType: { enum: ["preferred", "required"] } }),
    postgresql: obj({ parameters: { type: "object", additionalProperties: { type: "string" } } }),
    plugins: { type: "array", items: obj({ name: str, enabled: { type: "boolean" }, isWALArchiver: { type: "boolean" }, parameters: { type: "object", additionalProperties: { type: "string" } } }, ["name"]) },
    managed: obj({
      roles: {
        type: "array", minItems: 1,
        items: obj({
          name: str, ensure: { enum: ["present", "absent"] }, login: { type: "boolean" },
          passwordSecret: obj({ name: str }, ["name"]), connectionLimit: { type: "integer" }, inRoles: { type: "array", items: str },
        }, ["name", "login", "passwordSecret"]),
      },
    }, ["roles"]),
  }, ["instances", "storage"])),
  "postgresql.cnpg.io/v1/Database": doc("postgresql.cnpg.io/v1", "Database", obj({
    cluster: obj({ name: str }, ["name"]),
    name: str,
    owner: str,
    ensure: { enum: ["present", "absent"] },
    databaseReclaimPolicy: { enum: ["retain", "delete"] },
  }, ["cluster", "name", "owner"])),
  "barmancloud.cnpg.io/v1/ObjectStore": doc("barmancloud.cnpg.io/v1", "ObjectStore", obj({
    retentionPolicy: { type: "string", pattern: "^[1-9][0-9]*[dwm]$" },
    configuration: obj({
      destinationPath: str,
      endpointURL: str,
      s3Credentials: obj({ accessKeyId: secretKeyRef, secretAccessKey: secretKeyRef, region: secretKeyRef, sessionToken: secretKeyRef, inheritFromIAMRole: { type: "boolean" } }),
      azureCredentials: { type: "object" },
      googleCredentials: { type: "object" },
      wal: obj({ compression: { enum: ["gzip", "bzip2", "snappy", "lz4", "xz", "zstd"] }, maxParallel: { type: "integer" }, encryption: str }),
      data: obj({ compression: { enum: ["gzip", "bzip2", "snappy", "lz4", "xz", "zstd"] }, jobs: { type: "integer" }, encryption: str }),
    }, ["destinationPath"]),
  }, ["configuration"])),
  "postgresql.cnpg.io/v1/ScheduledBackup": doc("postgresql.cnpg.io/v1", "ScheduledBackup", obj({
    // Six fields (seconds first), as the operator's cron parser wants.
    schedule: { type: "string", pattern: "^\\S+( \\S+){5}$" },
    cluster: obj({ name: str }, ["name"]),
    method: { enum: ["barmanObjectStore", "volumeSnapshot", "plugin"] },
    pluginConfiguration: obj({ name: str, parameters: { type: "object" } }, ["name"]),
    backupOwnerReference: { enum: ["none", "self", "cluster"] },
    immediate: { type: "boolean" },
    suspend: { type: "boolean" },
  }, ["schedule", "cluster"])),
  "postgresql.cnpg.io/v1/Pooler": doc("postgresql.cnpg.io/v1", "Pooler", obj({
    cluster: obj({ name: str }, ["name"]),
    instances: { type: "integer", minimum: 2 },
    type: { enum: ["rw", "ro", "r"] },
    pgbouncer: obj({ poolMode: { enum: ["session", "transaction"] }, parameters: { type: "object", additionalProperties: { type: "string" } } }, ["poolMode"]),
    template: { type: "object" },
  }, ["cluster", "type", "pgbouncer"])),
  // The RabbitMQ messaging topology operator: one user and its permissions per service.
  "rabbitmq.com/v1beta1/User": doc("rabbitmq.com/v1beta1", "User", obj({
    rabbitmqClusterReference: obj({ name: str, namespace: str }, ["name"]),
    tags: { type: "array", items: str },
    importCredentialsSecret: obj({ name: str }, ["name"]),
  }, ["rabbitmqClusterReference"])),
  "rabbitmq.com/v1beta1/Permission": doc("rabbitmq.com/v1beta1", "Permission", obj({
    vhost: { type: "string" },
    user: str,
    userReference: obj({ name: str }, ["name"]),
    permissions: obj({ configure: { type: "string" }, write: { type: "string" }, read: { type: "string" } }, ["configure", "write", "read"]),
    rabbitmqClusterReference: obj({ name: str, namespace: str }, ["name"]),
  }, ["vhost", "permissions", "rabbitmqClusterReference"])),
};

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validators = Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, ajv.compile(s)]));
const services = ["cases", "coordination", "grants", "outcomes", "benefits"];
// The workspace keeps its sessions and keys in a database of its own (no broker).
const databases = [...services, "workspace"];
let failed = 0, checked = 0;
const kubernetes = [];
const fail = (id, msg) => { failed++; console.error(`FAIL ${id}: ${msg}`); };
const operatorDocs = [];
for (const file of process.argv.slice(2)) {
  for (const d of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (d.errors.length) { fail(file, `YAML: ${d.errors[0].message}`); continue; }
    const o = d.toJS(); if (o == null) continue;
    const key = `${o.apiVersion}/${o.kind}`, id = `${file} ${o.kind}/${o.metadata?.name}`;
    const validate = validators[key];
    if (!validate) { kubernetes.push(o); continue; }
    checked++;
    if (!validate(o)) fail(id, validate.errors.map(e => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`).join("; "));
    else { operatorDocs.push(o); console.log(`ok   ${o.apiVersion} ${o.kind}/${o.metadata.name} (structural)`); }
    // The operator merges override.statefulSet into a StatefulSet: check its pod template as Kubernetes does.
    const spec = o.spec?.override?.statefulSet?.spec;
    if (spec) kubernetes.push({ apiVersion: "v1", kind: "PodTemplate", metadata: { name: `${o.metadata.name}-override` }, template: spec.template });
  }
}
// Cross-document facts: one database per service and the workspace, each owned by a managed role of the same cluster.
const cluster = operatorDocs.find(o => o.kind === "Cluster");
if (cluster) {
  const roles = new Set((cluster.spec.managed?.roles ?? []).map(r => r.name));
  const dbs = operatorDocs.filter(o => o.kind === "Database");
  for (const s of databases) {
    const db = dbs.find(d => d.spec.name === s);
    if (!db) fail("cloudnative-pg", `no Database for service ${s}`);
    else if (db.spec.cluster.name !== cluster.metadata.name) fail("cloudnative-pg", `Database ${s} is not in Cluster ${cluster.metadata.name}`);
    else if (!roles.has(db.spec.owner)) fail("cloudnative-pg", `Database ${s} is owned by ${db.spec.owner}, which is no managed role`);
  }
  if (new Set(dbs.map(d => d.spec.name)).size !== dbs.length) fail("cloudnative-pg", "two Database resources name the same database");

  // Backup: a WAL-archiving plugin whose object store exists and takes its credentials from a Secret, and a schedule.
  const archiver = (cluster.spec.plugins ?? []).find(p => p.isWALArchiver);
  const store = operatorDocs.find(o => o.kind === "ObjectStore" && o.metadata.name === archiver?.parameters?.barmanObjectName);
  if (!archiver) fail("cloudnative-pg", "no backup: the Cluster has no WAL-archiving plugin (Barman Cloud)");
  else if (!store) fail("cloudnative-pg", `no ObjectStore named ${archiver.parameters?.barmanObjectName} for the Cluster's backup`);
  else if (!store.spec.configuration.s3Credentials?.accessKeyId?.name && !store.spec.configuration.azureCredentials && !store.spec.configuration.googleCredentials)
    fail("cloudnative-pg", "the ObjectStore names no credentials Secret");
  if (!operatorDocs.some(o => o.kind === "ScheduledBackup" && o.spec.cluster.name === cluster.metadata.name && o.spec.method === "plugin"))
    fail("cloudnative-pg", "no ScheduledBackup (method: plugin) of the Cluster: WAL alone restores nothing without a base backup");

  // Connections: every pool the services may open must fit, with room for the operator and a person with psql.
  const examples = fileURLToPath(new URL("../../charts/examples/", import.meta.url));
  const production = parse(readFileSync(join(examples, "../samskaping/values-production.yaml"), "utf8"), { merge: true });
  const poolSize = Number(/Maximum Pool Size=(\d+)/.exec(readFileSync(join(examples, "create-secrets.sh"), "utf8"))?.[1] ?? 100);
  const surge = 1; // the Deployment's maxSurge (charts/samskaping-service/templates/deployment.yaml)
  const podsOf = (s) => (production[s]?.autoscaling?.maxReplicas ?? production[s]?.replicaCount ?? 6) + surge;
  const workspacePool = production.workspace?.enabled ? podsOf("workspace") * poolSize : 0; // no migrations, no lock
  const needed = services.reduce((sum, s) => sum + podsOf(s) * (poolSize + 1), workspacePool); // +1: the unpooled migration lock
  const maxConnections = Number(cluster.spec.postgresql?.parameters?.max_connections ?? 100);
  const headroom = 10;
  if (maxConnections < needed + headroom)
    fail("cloudnative-pg", `max_connections ${maxConnections} < ${needed} (5 services' pods at maxReplicas + ${surge} surge x (Maximum Pool Size ${poolSize} + 1), and the workspace's pods x ${poolSize}) + ${headroom} headroom`);
  const pooler = operatorDocs.find(o => o.kind === "Pooler" && o.spec.cluster.name === cluster.metadata.name && o.spec.type === "rw");
  if (!pooler) fail("cloudnative-pg", "no rw Pooler for the Cluster");
  else if (!readFileSync(join(examples, "create-secrets.sh"), "utf8").includes(`db_host=${pooler.metadata.name}`))
    fail("cloudnative-pg", `create-secrets.sh does not connect the services through the pooler ${pooler.metadata.name}`);
}
// RabbitMQ: one user per service, allowed its own queues and the message-type exchanges, and no other service's queue.
const permissions = operatorDocs.filter(o => o.kind === "Permission");
if (operatorDocs.some(o => o.kind === "RabbitmqCluster")) {
  for (const s of services) {
    const user = operatorDocs.find(o => o.kind === "User" && o.metadata.name === `samskaping-${s}`);
    const permission = permissions.find(p => p.spec.userReference?.name === `samskaping-${s}`);
    if (!user || !permission) { fail("rabbitmq-users", `no User and Permission samskaping-${s}`); continue; }
    for (const [what, pattern] of Object.entries(permission.spec.permissions)) {
      const re = new RegExp(pattern);
      for (const name of [s, `${s}_error`, "Samskaping.Contracts.Cases:CaseOpened"]) if (!re.test(name)) fail("rabbitmq-users", `${s} may not ${what} ${name}`);
      for (const other of services.filter(o => o !== s)) if (re.test(other) || re.test(`${other}_error`)) fail("rabbitmq-users", `${s} may ${what} ${other}'s queue`);
    }
  }
}
console.log(`${checked} operator manifest(s) checked structurally, ${failed} failed`);
if (kubernetes.length) {
  const validator = fileURLToPath(new URL("validate-k8s.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [validator], { input: kubernetes.map(o => stringify(o)).join("---\n"), stdio: ["pipe", "inherit", "inherit"] });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
