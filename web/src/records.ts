export interface RecordId {
  label: string;
  id: string;
}

/**
 * Every id in a provisioning answer's `data`, labelled by where it sits
 * (`user`, `orders[0].items[1]`, `sample.userIds[2]`), in document order.
 */
export function collectIds(data: unknown, path = ''): RecordId[] {
  if (Array.isArray(data)) {
    return data.flatMap((item, index) =>
      typeof item === 'string' && /Ids$/.test(path) ? [{ label: `${path}[${index}]`, id: item }] : collectIds(item, `${path}[${index}]`),
    );
  }
  if (typeof data !== 'object' || data === null) return [];
  const found: RecordId[] = [];
  const record = data as Record<string, unknown>;
  if (typeof record.id === 'string') found.push({ label: path || 'record', id: record.id });
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'object' && value !== null) found.push(...collectIds(value, path ? `${path}.${key}` : key));
  }
  return found;
}
