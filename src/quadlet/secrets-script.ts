/**
 * `podman secret create` commands for one Quadlet folder: Quadlet has no `.secret` unit
 * (containers/podman#26462), so secrets are created once before the units start. Names and
 * paths are quoted words, never code.
 */
import { commentText } from "../core/comment.js";
import { shQuote } from "../core/shell.js";

export interface PodmanSecret {
  /** Podman secret name. */
  readonly name: string;
  /** File path relative to the script's folder. */
  readonly file: string;
}

export function podmanSecretsScript(title: string, secrets: readonly PodmanSecret[]): string {
  const lines = [
    "#!/usr/bin/env bash",
    `# Creates (or replaces) the Podman secrets of ${commentText(title)}. Run as the user that runs the units.`,
    "set -euo pipefail",
    'here="$(cd "$(dirname "$0")" && pwd)"',
    ...[...secrets].sort((a, b) => (a.name < b.name ? -1 : 1)).map((s) => `podman secret create --replace ${shQuote(s.name)} "$here/"${shQuote(s.file)}`),
    "",
  ];
  return lines.join("\n");
}
