/**
 * Values in generated shell scripts are data, never code: each one is a single-quoted word
 * (`'` written as `'\''`), so `$(…)`, backticks, `$VAR`, globs, `;` and newlines stay literal.
 * A value is never spliced inside double quotes or a `${x:-default}` expansion; scripts assign
 * it to a variable first and use `"$var"`.
 * @see https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02_02
 */
export function shQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, "'\\''")}'`;
}

/** Words joined with spaces, each quoted. */
export function shWords(words: readonly string[]): string {
  return words.map(shQuote).join(" ");
}
