// Validates the documented example manifests (charts/examples/*.yaml) offline.
// Kubernetes' own kinds go through validate-k8s.mjs. The operators' kinds (RabbitmqCluster, CloudNativePG's
// Cluster and Database) have no offline schema package, so they are checked STRUCTURALLY against the small
// schemas below, written from the operators' API references for exactly the fields the examples use: the
// right apiVersion/kind, known field names (unknown ones fail), types, and the facts the issue asks for
// (3 RabbitMQ replicas, 3 PostgreSQL instances, one Database per service owned by a managed role).
// Usage: node validate-examples.mjs FILE...      (exit 1 on any problem)
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, stringify } from "yaml";
import Ajv from "ajv";

const str = { type: "string", minLength: 1 };
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
};

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validators = Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, ajv.compile(s)]));
const services = ["cases", "coordination", "grants", "outcomes", "benefits"];
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
// Cross-document facts: one database per service, each owned by a managed role of the same cluster.
const cluster = operatorDocs.find(o => o.kind === "Cluster");
if (cluster) {
  const roles = new Set((cluster.spec.managed?.roles ?? []).map(r => r.name));
  const dbs = operatorDocs.filter(o => o.kind === "Database");
  for (const s of services) {
    const db = dbs.find(d => d.spec.name === s);
    if (!db) fail("cloudnative-pg", `no Database for service ${s}`);
    else if (db.spec.cluster.name !== cluster.metadata.name) fail("cloudnative-pg", `Database ${s} is not in Cluster ${cluster.metadata.name}`);
    else if (!roles.has(db.spec.owner)) fail("cloudnative-pg", `Database ${s} is owned by ${db.spec.owner}, which is no managed role`);
  }
  if (new Set(dbs.map(d => d.spec.name)).size !== dbs.length) fail("cloudnative-pg", "two Database resources name the same database");
}
console.log(`${checked} operator manifest(s) checked structurally, ${failed} failed`);
if (kubernetes.length) {
  const validator = fileURLToPath(new URL("validate-k8s.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [validator], { input: kubernetes.map(o => stringify(o)).join("---\n"), stdio: ["pipe", "inherit", "inherit"] });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
