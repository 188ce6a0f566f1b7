/**
 * Why `url` cannot be a testapi base URL, or undefined when it can. Checked
 * before the first request: fetch's own "Failed to parse URL" names neither
 * the setting nor the fix (`127.0.0.1:3000` parses as scheme `127.0.0.1:`).
 */
export function baseUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `must start with http:// or https://, e.g. http://127.0.0.1:3000; got ${JSON.stringify(url)}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `must start with http:// or https://, e.g. http://127.0.0.1:3000; got ${JSON.stringify(url)}`;
  }
  return undefined;
}
