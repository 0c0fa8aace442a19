// Lints Dockerfiles offline: dockerfile-utils' validator (syntax, deprecated or conflicting instructions; every
// finding, warning or error, fails) plus this project's rules for images it ships:
//   the final stage runs as a non-root USER; it has a HEALTHCHECK; base images have an explicit tag (no
//   "latest") and are pinned by digest (@sha256:<64 hex>, or @${ARG} of an ARG with no default, which the build
//   must then be given); COPY, never ADD; no ENV/ARG that looks like a secret (passwords and keys come at run time).
// Usage: node lint-dockerfile.mjs FILE...     (exit 1 on any finding)
import { readFileSync } from "node:fs";
import { validate, ValidationSeverity as S } from "dockerfile-utils";
import { DockerfileParser } from "dockerfile-ast";

const strict = { deprecatedMaintainer: S.ERROR, directiveCasing: S.ERROR, emptyContinuationLine: S.ERROR,
  instructionCasing: S.ERROR, instructionCmdMultiple: S.ERROR, instructionEntrypointMultiple: S.ERROR,
  instructionHealthcheckMultiple: S.ERROR, instructionJSONInSingleQuotes: S.ERROR, instructionWorkdirRelative: S.ERROR };

export function lint(text) {
  const findings = validate(text, strict).map(d => ({ line: d.range.start.line + 1, message: d.message }));
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const at = (i) => i.getRange().start.line + 1;
  const froms = dockerfile.getFROMs();
  const argDecls = instructions.filter(i => i.getKeyword() === "ARG").map(i => i.getArgumentsContent()?.trim() ?? "");
  const args = Object.fromEntries(argDecls.map(a => a.split("=")).filter(a => a.length === 2));
  const requiredArgs = new Set(argDecls.filter(a => /^[A-Za-z_][A-Za-z0-9_]*$/.test(a)));
  for (const from of froms) {
    const image = from.getImageName() ?? "";
    const stages = froms.map(f => f.getBuildStage());
    if (stages.includes(image)) continue;
    let tag = from.getImageTag();
    if (tag) tag = tag.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, n) => args[n] ?? "");
    if (!tag || tag === "latest") findings.push({ line: at(from), message: `base image ${image} needs an explicit tag (not latest)` });
    const reference = (from.getArgumentsContent() ?? "").trim().split(/\s+/)[0];
    const digest = reference.includes("@") ? reference.slice(reference.indexOf("@") + 1) : "";
    const digestArg = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(digest)?.[1];
    if (!/^sha256:[0-9a-f]{64}$/.test(digest) && !(digestArg && requiredArgs.has(digestArg)))
      findings.push({ line: at(from), message: `base image ${image} must be pinned by digest (@sha256:<64 hex>, or @\${ARG} of an ARG without default)` });
  }
  const last = froms.at(-1);
  const finalStage = last ? instructions.filter(i => at(i) >= at(last)) : [];
  const users = finalStage.filter(i => i.getKeyword() === "USER").map(i => i.getArgumentsContent()?.trim() ?? "");
  if (!users.length) findings.push({ line: at(last ?? instructions[0]), message: "the final stage must switch to a non-root USER" });
  else if (/^(root|0)(:|$)/.test(users.at(-1))) findings.push({ line: at(last), message: "the final stage's USER is root" });
  const health = finalStage.filter(i => i.getKeyword() === "HEALTHCHECK");
  if (!health.length || /^NONE\b/i.test(health.at(-1).getArgumentsContent() ?? "")) findings.push({ line: at(last ?? instructions[0]), message: "the final stage needs a HEALTHCHECK" });
  for (const i of instructions) {
    if (i.getKeyword() === "ADD") findings.push({ line: at(i), message: "use COPY, not ADD" });
    if (["ENV", "ARG"].includes(i.getKeyword()) && /(PASSWORD|PASSWD|SECRET|TOKEN|SIGNINGKEY|SIGNING_KEY|APIKEY|API_KEY|CONNECTIONSTRING)/i.test(i.getArgumentsContent() ?? ""))
      findings.push({ line: at(i), message: "secrets are never baked into an image: pass them at run time" });
  }
  return findings.sort((a, b) => a.line - b.line);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = 0;
  for (const file of process.argv.slice(2)) {
    const findings = lint(readFileSync(file, "utf8"));
    for (const f of findings) console.error(`FAIL ${file}:${f.line}: ${f.message}`);
    console.log(`${file}: ${findings.length} finding(s)`);
    failed += findings.length;
  }
  process.exit(failed ? 1 : 0);
}
