/**
 * Text for a `#` comment line of a generated file (YAML, systemd/Quadlet units, NATS config,
 * shell). A comment ends at a line break, so every character a consumer could read as one — LF,
 * CR, NEL, U+2028, U+2029 (libyaml and go-yaml count the last three) — and every other control
 * or bidirectional-override character is written as a visible `\uXXXX` escape: a prop in a
 * header comment can never start a line of its own.
 * @see https://yaml.org/spec/1.2.2/#54-line-break-characters
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function commentText(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `# <text>` with the text made safe, trailing spaces dropped. */
export function commentLine(s: string, mark = "#"): string {
  return `${mark} ${commentText(s)}`.trimEnd();
}
