// Reading the umbrella chart's values.yaml the way the other checks need it.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** The image.repository of every workload of the umbrella chart (top-level keys other than "global"). */
export function chartRepositories(valuesFile) {
  const values = parse(readFileSync(valuesFile, "utf8"), { merge: true });
  return new Set(Object.entries(values).filter(([k]) => k !== "global")
    .map(([, w]) => w?.image?.repository).filter(Boolean));
}
