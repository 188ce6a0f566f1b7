import fs from 'node:fs';
import YAML from 'yaml';
import type { PathSegment } from './inject-path';
import { isJsonObject, type JsonObject } from './json';


/**
 * The `data` schema of each scenario's 201 answer, read from openapi.yaml:
 * the contract the tests hold every answer to, so a path that exists there
 * exists in every graph the scenario builds (array indexes aside).
 */
export interface ResultSchemas {
  /** undefined when openapi.yaml documents no result for the scenario. */
  dataSchemaOf(scenario: string): JsonObject | undefined;
  /** Whether `segments` lead somewhere in `schema` (following $ref, allOf, oneOf, anyOf, properties and items). */
  hasPath(schema: JsonObject, segments: readonly PathSegment[]): boolean;
}

/** `file`: openapi.yaml, found by the HTTP layer (docs.routes.ts) that serves it too. */
export function loadResultSchemas(file: string): ResultSchemas {
  const spec = YAML.parse(fs.readFileSync(file, 'utf8')) as JsonObject;

  const resolve = (node: JsonObject, depth = 0): JsonObject => {
    if (typeof node.$ref !== 'string' || depth > 16) return node;
    let target: unknown = spec;
    for (const part of node.$ref.replace(/^#\//, '').split('/')) target = isJsonObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    return isJsonObject(target) ? resolve(target, depth + 1) : {};
  };

  /** The node and every branch it combines, $refs resolved. */
  const variants = (node: JsonObject, depth = 0): JsonObject[] => {
    const resolved = resolve(node);
    const branches = ['allOf', 'oneOf', 'anyOf'].flatMap((key) => (Array.isArray(resolved[key]) ? (resolved[key] as unknown[]).filter(isJsonObject) : []));
    return depth > 16 ? [resolved] : [resolved, ...branches.flatMap((branch) => variants(branch, depth + 1))];
  };

  const children = (node: JsonObject, segment: PathSegment): JsonObject[] =>
    variants(node).flatMap((variant) => {
      if ('index' in segment) return isJsonObject(variant.items) ? [variant.items] : [];
      const properties = isJsonObject(variant.properties) ? variant.properties : {};
      if (isJsonObject(properties[segment.key])) return [properties[segment.key] as JsonObject];
      return isJsonObject(variant.additionalProperties) ? [variant.additionalProperties] : [];
    });

  const hasPath = (schema: JsonObject, segments: readonly PathSegment[]): boolean => {
    let nodes = [schema];
    for (const segment of segments) {
      nodes = nodes.flatMap((node) => children(node, segment));
      if (nodes.length === 0) return false;
    }
    return true;
  };

  const dataSchemaOf = (scenario: string): JsonObject | undefined => {
    const paths = isJsonObject(spec.paths) ? spec.paths : {};
    const operation = (paths[`/scenarios/${scenario}`] as JsonObject | undefined)?.post as JsonObject | undefined;
    const created = ((operation?.responses as JsonObject | undefined)?.['201'] as JsonObject | undefined)?.content as JsonObject | undefined;
    const schema = (created?.['application/json'] as JsonObject | undefined)?.schema;
    if (!isJsonObject(schema)) return undefined;
    const data = children(schema, { key: 'data' });
    return data.length > 0 ? { anyOf: data } : undefined;
  };

  return { dataSchemaOf, hasPath };
}
