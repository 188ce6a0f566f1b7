import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { PathSegment } from './inject-path';

type Json = Record<string, unknown>;

/**
 * The `data` schema of each scenario's 201 answer, read from openapi.yaml:
 * the contract the tests hold every answer to, so a path that exists there
 * exists in every graph the scenario builds (array indexes aside).
 */
export interface ResultSchemas {
  /** undefined when openapi.yaml documents no result for the scenario. */
  dataSchemaOf(scenario: string): Json | undefined;
  /** Whether `segments` lead somewhere in `schema` (following $ref, allOf, oneOf, anyOf, properties and items). */
  hasPath(schema: Json, segments: readonly PathSegment[]): boolean;
}

/** openapi.yaml sits at the project root, in source and in dist alike. */
function findOpenApiFile(start = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'openapi.yaml');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`openapi.yaml not found above ${start}`);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function loadResultSchemas(file = findOpenApiFile()): ResultSchemas {
  const spec = YAML.parse(fs.readFileSync(file, 'utf8')) as Json;

  const resolve = (node: Json, depth = 0): Json => {
    if (typeof node.$ref !== 'string' || depth > 16) return node;
    let target: unknown = spec;
    for (const part of node.$ref.replace(/^#\//, '').split('/')) target = isObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    return isObject(target) ? resolve(target, depth + 1) : {};
  };

  /** The node and every branch it combines, $refs resolved. */
  const variants = (node: Json, depth = 0): Json[] => {
    const resolved = resolve(node);
    const branches = ['allOf', 'oneOf', 'anyOf'].flatMap((key) => (Array.isArray(resolved[key]) ? (resolved[key] as unknown[]).filter(isObject) : []));
    return depth > 16 ? [resolved] : [resolved, ...branches.flatMap((branch) => variants(branch, depth + 1))];
  };

  const children = (node: Json, segment: PathSegment): Json[] =>
    variants(node).flatMap((variant) => {
      if ('index' in segment) return isObject(variant.items) ? [variant.items] : [];
      const properties = isObject(variant.properties) ? variant.properties : {};
      if (isObject(properties[segment.key])) return [properties[segment.key] as Json];
      return isObject(variant.additionalProperties) ? [variant.additionalProperties] : [];
    });

  const hasPath = (schema: Json, segments: readonly PathSegment[]): boolean => {
    let nodes = [schema];
    for (const segment of segments) {
      nodes = nodes.flatMap((node) => children(node, segment));
      if (nodes.length === 0) return false;
    }
    return true;
  };

  const dataSchemaOf = (scenario: string): Json | undefined => {
    const paths = isObject(spec.paths) ? spec.paths : {};
    const operation = (paths[`/scenarios/${scenario}`] as Json | undefined)?.post as Json | undefined;
    const created = ((operation?.responses as Json | undefined)?.['201'] as Json | undefined)?.content as Json | undefined;
    const schema = (created?.['application/json'] as Json | undefined)?.schema;
    if (!isObject(schema)) return undefined;
    const data = children(schema, { key: 'data' });
    return data.length > 0 ? { anyOf: data } : undefined;
  };

  return { dataSchemaOf, hasPath };
}
