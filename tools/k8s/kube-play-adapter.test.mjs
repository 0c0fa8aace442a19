// Tests of kube-play-adapter.mjs (node --test tools/k8s/kube-play-adapter.test.mjs; charts/check.sh runs them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseAllDocuments } from "yaml";
import { adapt, INIT_ANNOTATION } from "./kube-play-adapter.mjs";

const deployment = (name, extra = {}) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      securityContext: {runAsUser: 1654}
      serviceAccountName: ${name}
      containers:
        - name: main
          image: samskaping/${name}:0.1.0
          securityContext: {readOnlyRootFilesystem: true}
          ports: [{name: http, containerPort: 8080}]
          env:
            - {name: ASPNETCORE_HTTP_PORTS, value: "8080"}
            - {name: Peer__BaseUrl, value: ${extra.peer ?? "http://other:80"}}
            - name: ConnectionStrings__Database
              valueFrom: {secretKeyRef: {name: ${name}-db, key: connection-string}}
          readinessProbe: {httpGet: {path: /health/ready, port: http}}
          livenessProbe: {httpGet: {path: /health/live, port: http}}
${extra.init ?? ""}`;
const service = (name, port = 80, targetPort = "http") => `
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: ${port}, targetPort: ${targetPort}}]`;
const configMap = data => `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: ${JSON.stringify(data)}`;
const join = (...docs) => docs.join("\n---\n");
const played = r => parseAllDocuments(r.play).map(d => d.toJS());
const pod = (r, name) => played(r).find(d => d.kind === "Deployment" && d.metadata.name === name).spec.template;

test("each workload gets its own port, and in-cluster addresses lead to it", () => {
  const r = adapt(join(deployment("one"), deployment("other"), service("one"), service("other", 8081),
    configMap({ A: "http://other:8081", B: "http://one/path", C: "http://one:80", D: "http://elsewhere:80", E: "http://one:9" })),
  { portBase: 7000 });
  const cm = played(r).find(d => d.kind === "ConfigMap");
  assert.deepEqual(cm.data, { A: "http://127.0.0.1:7001", B: "http://127.0.0.1:7000/path", C: "http://127.0.0.1:7000", D: "http://elsewhere:80", E: "http://one:9" });
  const env = pod(r, "one").spec.containers[0].env;
  assert.equal(env.find(e => e.name === "ASPNETCORE_HTTP_PORTS").value, "7000");
  assert.equal(env.find(e => e.name === "Peer__BaseUrl").value, "http://other:80", "Service other listens on 8081, not 80");
  const moved = adapt(join(deployment("one", { peer: "http://other:8081/x" }), deployment("other"), service("other", 8081)), { portBase: 7000, host: "10.0.2.2" });
  assert.equal(pod(moved, "one").spec.containers[0].env.find(e => e.name === "Peer__BaseUrl").value, "http://10.0.2.2:7001/x");
  assert.deepEqual(r.workloads.map(w => [w.workload, w.port]), [["one", 7000], ["other", 7001]]);
});

test("probes and container ports leave the pod and are listed for polling from outside", () => {
  const r = adapt(join(deployment("one"), service("one")), { portBase: 7000 });
  const c = pod(r, "one").spec.containers[0];
  assert.equal(c.ports, undefined);
  assert.equal(c.readinessProbe, undefined);
  assert.equal(c.livenessProbe, undefined);
  assert.deepEqual(r.workloads[0], {
    workload: "one", container: "main", port: 7000, readiness: "/health/ready", liveness: "/health/live",
    user: 1654, readOnlyRootFilesystem: true,
  });
});

test("Secrets are listed, not passed to kube play; other kinds are reported as not run", () => {
  const r = adapt(join(deployment("one"), service("one"),
    "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}",
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: one}\nspec: {podSelector: {}}"),
  { portBase: 7000 });
  assert.deepEqual(r.secrets, [{ name: "one-db", keys: ["connection-string"] }]);
  assert.ok(!played(r).some(d => d.kind === "Secret" || d.kind === "Service" || d.kind === "NetworkPolicy"));
  assert.ok(r.unproved.includes("NetworkPolicy/one"));
  assert.ok(r.unproved.some(u => u.startsWith("serviceAccountName/one")));
});

test("a pod with init containers gets podman's init annotation", () => {
  const init = "      initContainers: [{name: migrate, image: samskaping/one:0.1.0}]".replace(/^/, "");
  const r = adapt(join(deployment("one").replace("      containers:", `${init}\n      containers:`), service("one")), { portBase: 7000 });
  assert.equal(pod(r, "one").metadata.annotations[INIT_ANNOTATION], "always");
  const plain = adapt(join(deployment("two"), service("two")), { portBase: 7000 });
  assert.equal(pod(plain, "two").metadata.annotations?.[INIT_ANNOTATION], undefined);
});

test("what cannot be bridged is refused, not guessed", () => {
  assert.throws(() => adapt(join(deployment("one"), service("nobody")), { portBase: 7000 }), /selects no Deployment/);
  assert.throws(() => adapt(join(deployment("one"), service("one", 80, "metrics")), { portBase: 7000 }), /targetPort metrics/);
  assert.throws(() => adapt(deployment("one").replace('value: "8080"', 'value: "9090"'), { portBase: 7000 }), /cannot be moved/);
  assert.throws(() => adapt(deployment("one").replace("httpGet: {path: /health/ready, port: http}", "exec: {command: [x]}"),
    { portBase: 7000 }), /only httpGet/);
  assert.throws(() => adapt(deployment("one"), { portBase: 0 }), /port-base/);
});

test("more than one replica runs as one and is reported", () => {
  const r = adapt(deployment("one").replace("spec:\n  selector", "spec:\n  replicas: 3\n  selector"), { portBase: 7000 });
  assert.equal(played(r)[0].spec.replicas, 1);
  assert.ok(r.unproved.some(u => u.startsWith("replicas>1/one")));
});
