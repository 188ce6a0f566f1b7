/** A POSIX shell single-quoted word: safe for any text, quotes included. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The curl command that makes the same request. The key is never written
 * out: the command reads it from $TESTAPI_API_KEY when the service needs one.
 */
export function curlCommand(method: string, url: string, body: unknown, withKey: boolean): string {
  const lines = [`curl -sS -X ${method} ${shellQuote(url)}`];
  if (withKey) lines.push(`-H "Authorization: Bearer $TESTAPI_API_KEY"`);
  if (body !== undefined) lines.push(`-H 'Content-Type: application/json'`, `-d ${shellQuote(JSON.stringify(body))}`);
  return lines.join(' \\\n  ');
}
