// Proves that rendered releases work together: every in-cluster address a workload is configured with
// (its ConfigMap: peers, the gateway's routes) in the releases' namespaces names a Service some release renders, on a port that Service has,
// and the network policies of both ends let that call through — the caller's egress and the callee's ingress,
// across namespaces too (a service installed as a release of its own, docs/operations.md).
// Each argument is one release: NAMESPACE=FILE (helm template -n NAMESPACE output).
// Usage: node releases-connect.mjs NS=FILE...     (exit 1 on an address that leads nowhere or is blocked)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const docs = process.argv.slice(2).flatMap(argument => {
  const [namespace, file] = argument.split("=");
  return parseAllDocuments(readFileSync(file, "utf8")).map(d => d.toJS()).filter(Boolean)
    .map(d => ({ ...d, ns: d.metadata?.namespace ?? namespace }));
});
const namespaces = new Set(docs.map(d => d.ns));
const problems = [];
let checked = 0;
const of = (kind) => docs.filter(d => d.kind === kind);
const subset = (wanted = {}, labels = {}) => Object.entries(wanted).every(([k, v]) => labels[k] === v);
// Labels of a namespace: only the one every namespace has.
const nsLabels = (ns) => ({ "kubernetes.io/metadata.name": ns });

// Does a NetworkPolicyPeer of a policy in policyNs select pods with these labels in that namespace?
function peerSelects(peer, policyNs, ns, labels) {
  if (peer.ipBlock) return false;
  const nsOk = peer.namespaceSelector ? subset(peer.namespaceSelector.matchLabels, nsLabels(ns)) : ns === policyNs;
  const podOk = peer.podSelector ? subset(peer.podSelector.matchLabels, labels) : true;
  return nsOk && podOk;
}
const portOk = (rule, port) => !rule.ports?.length || rule.ports.some(p => (p.protocol ?? "TCP") === "TCP" && p.port === port);
// Are pods (ns, labels) allowed to go `direction` (egress: to; ingress: from) other pods on port?
function allowed(direction, ns, labels, other, port) {
  const policies = of("NetworkPolicy").filter(p => p.ns === ns && subset(p.spec.podSelector?.matchLabels, labels)
    && (p.spec.policyTypes ?? ["Ingress"]).includes(direction === "egress" ? "Egress" : "Ingress"));
  if (!policies.length) return true; // no policy selects these pods: nothing is blocked
  const key = direction === "egress" ? "to" : "from";
  return policies.some(p => (p.spec[direction] ?? []).some(rule => portOk(rule, port)
    && (!rule[key] || rule[key].some(peer => peerSelects(peer, p.ns, other.ns, other.labels)))));
}

const deployments = of("Deployment");
for (const cm of of("ConfigMap")) {
  const caller = deployments.find(d => d.ns === cm.ns && (d.spec.template.spec.containers ?? [])
    .some(c => (c.envFrom ?? []).some(e => e.configMapRef?.name === cm.metadata.name)));
  if (!caller) continue;
  const from = { ns: caller.ns, labels: caller.spec.template.metadata.labels };
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    const m = /^https?:\/\/([a-z0-9-]+)(?:\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?)?(?::(\d+))?(?:\/|$)/.exec(String(value));
    if (!m || (!m[2] && m[1].includes("."))) continue;
    const [, name, ns = caller.ns, port = "80"] = m;
    if (!namespaces.has(ns)) continue; // outside these releases (an OTLP collector, say): not theirs to prove
    checked++;
    const what = `${caller.ns}/${caller.metadata.name} ${key}=${value}`;
    const service = of("Service").find(s => s.ns === ns && s.metadata.name === name);
    if (!service) { problems.push(`${what}: no release renders Service ${ns}/${name}`); continue; }
    const servicePort = (service.spec.ports ?? []).find(p => p.port === Number(port));
    if (!servicePort) { problems.push(`${what}: Service ${ns}/${name} has no port ${port}`); continue; }
    const target = deployments.find(d => d.ns === ns && subset(service.spec.selector, d.spec.template.metadata.labels));
    if (!target) { problems.push(`${what}: Service ${ns}/${name} selects no rendered Deployment`); continue; }
    const to = { ns, labels: target.spec.template.metadata.labels };
    const containerPort = typeof servicePort.targetPort === "number" ? servicePort.targetPort
      : (target.spec.template.spec.containers ?? []).flatMap(c => c.ports ?? []).find(p => p.name === servicePort.targetPort)?.containerPort;
    if (!allowed("egress", from.ns, from.labels, to, containerPort)) problems.push(`${what}: ${caller.metadata.name}'s network policy blocks egress to ${ns}/${name}:${containerPort}`);
    if (!allowed("ingress", to.ns, to.labels, from, containerPort)) problems.push(`${what}: ${ns}/${target.metadata.name}'s network policy blocks ingress from ${caller.ns}/${caller.metadata.name}`);
  }
}
for (const p of problems) console.error(`FAIL ${p}`);
console.log(`${checked} in-cluster address(es) checked across ${process.argv.length - 2} release(s); ${problems.length} problem(s)`);
process.exit(problems.length || !checked ? 1 : 0);
