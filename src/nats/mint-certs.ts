/**
 * A shell script that mints the lattice's TLS material with openssl on the operator's machine:
 * a CA and one certificate per hub (server and client use, so routes can verify each other),
 * named for the host leaves dial. Private keys never pass through synth output. Names and hosts
 * arrive as quoted words assigned to variables, never spliced into code.
 */
import { commentText } from "../core/comment.js";
import { shQuote } from "../core/shell.js";
export interface CertHub {
  readonly id: string;
  readonly host: string;
}

const isIp = (h: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(":");

/** @param tlsDirFromScript the default out-dir, relative to the script's folder */
export function mintCertsScript(lattice: string, tlsDirFromScript: string, hubs: readonly CertHub[]): string {
  const lines = [
    "#!/usr/bin/env bash",
    `# Mints the TLS material of lattice ${commentText(lattice)}: a CA (10 years) and one certificate per hub (2 years).`,
    "# Usage: mint-certs.sh [out-dir]   (default: the secrets folder of this synth output)",
    "# Existing files are kept, so re-running only adds what is missing.",
    "set -euo pipefail",
    'here="$(cd "$(dirname "$0")" && pwd)"',
    `lattice=${shQuote(lattice)}`,
    `default_out=${shQuote(tlsDirFromScript)}`,
    'out="${1:-$here/$default_out}"',
    'mkdir -p "$out" && chmod 700 "$out"',
    "umask 077",
    'if [ ! -f "$out/ca.pem" ]; then',
    '  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \\',
    '    -subj "/CN=tLOS $lattice lattice CA" -keyout "$out/ca-key.pem" -out "$out/ca.pem" \\',
    '    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null',
    "fi",
    "hub() {",
    '  local id="$1" san="$2"',
    '  [ -f "$out/$id.pem" ] && return 0',
    '  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$id" \\',
    '    -keyout "$out/$id-key.pem" -out "$out/$id.csr" 2>/dev/null',
    '  printf "subjectAltName=%s\\nextendedKeyUsage=serverAuth,clientAuth\\nkeyUsage=critical,digitalSignature\\nbasicConstraints=critical,CA:FALSE\\n" "$san" > "$out/$id.ext"',
    '  openssl x509 -req -in "$out/$id.csr" -CA "$out/ca.pem" -CAkey "$out/ca-key.pem" -CAcreateserial \\',
    '    -days 730 -extfile "$out/$id.ext" -out "$out/$id.pem" 2>/dev/null',
    '  rm -f "$out/$id.csr" "$out/$id.ext"',
    "}",
    ...hubs.map((h) => `hub ${shQuote(h.id)} ${shQuote(`${isIp(h.host) ? `IP:${h.host}` : `DNS:${h.host}`},DNS:${h.id}`)}`),
    'chmod 600 "$out"/*',
    'echo "TLS material of lattice $lattice is in $out"',
  ];
  return `${lines.join("\n")}\n`;
}
