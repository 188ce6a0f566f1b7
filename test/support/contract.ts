import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

/**
 * Checks observed traffic against openapi.yaml (OpenAPI 3.1 = JSON Schema
 * 2020-12, so Ajv2020 reads its schemas as they are). Used by every HTTP test
 * through test/support/http.ts and by the e2e client's fetch wrapper.
 */
type Json = Record<string, unknown>;

const SPEC_ID = 'openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface Exchange {
  method: string;
  url: string;
  requestBody?: unknown;
  status: number;
  contentType: string | undefined;
  body: unknown;
}

/** The checks against one OpenAPI document: openapi.yaml below, or a deployment's live document (GET /openapi.json). */
export interface Contract {
  findOperation(method: string, url: string): { template: string; operation: Json } | undefined;
  contractViolations(exchange: Exchange): string[];
  assertMatchesContract(exchange: Exchange): void;
  document: Json;
}

export function contractOf(spec: Json, name = 'openapi.yaml'): Contract {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(spec, SPEC_ID);

  interface PathTemplate {
    template: string;
    regex: RegExp;
    params: number;
  }

  const templates: PathTemplate[] = Object.keys(spec.paths as Json)
    .map((template) => ({
      template,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      params: (template.match(/\{/g) ?? []).length,
    }))
    // A literal path (/scenarios/user) wins over a template (/scenarios/{name}).
    .sort((a, b) => a.params - b.params);

  function pointer(...segments: string[]): string {
    return segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  }

  function resolve(node: Json, location: string): { node: Json; location: string } {
    const ref = node.$ref;
    if (typeof ref !== 'string') return { node, location };
    const parts = ref.replace(/^#\//, '').split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    let target: unknown = spec;
    for (const part of parts) target = (target as Json)[part];
    return { node: target as Json, location: ref.replace(/^#\//, '') };
  }

  function validateAt(location: string, value: unknown): string[] {
    const validate = ajv.getSchema(`${SPEC_ID}#/${location}`);
    if (!validate) throw new Error(`No schema at ${location} in openapi.yaml`);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  }

  function findOperation(method: string, url: string): { template: string; operation: Json } | undefined {
    // Not new URL(): it would resolve `/tags/..` to `/`, a path the server never saw.
    // Express routes `/tags/` as `/tags` (non-strict routing): so does the check.
    const pathname = (url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split(/[?#]/)[0] || '/').replace(/(.)\/$/, '$1');
    const lower = method.toLowerCase();
    for (const candidate of templates) {
      if (!candidate.regex.test(pathname)) continue;
      const operation = (spec.paths as Json)[candidate.template] as Json;
      if (operation[lower]) return { template: candidate.template, operation: operation[lower] as Json };
    }
    return undefined;
  }

  /** Problems found in one request/response pair; empty when it matches the contract. */
  function contractViolations(exchange: Exchange): string[] {
    const method = exchange.method.toLowerCase();
    if (!(METHODS as readonly string[]).includes(method)) return [];
    const found = findOperation(method, exchange.url);
    if (!found) {
      // Undocumented routes must answer with a documented-shape 404 problem, or
      // 401 when a key is required and missing (routes are not revealed then), or
      // a problem found before routing (an unreadable body or URL).
      const malformed = [400, 413, 415].includes(exchange.status) && /:(malformed-json|malformed-url|payload-too-large|unsupported-media-type)$/.test(String((exchange.body as Json | undefined)?.type));
      if (exchange.status !== 404 && exchange.status !== 401 && !malformed) {
        return [`${exchange.method} ${exchange.url} is not in openapi.yaml but answered ${exchange.status}`];
      }
      return validateAt('components/schemas/Problem', exchange.body).map((error) => `${exchange.status} problem: ${error}`);
    }
    const violations: string[] = [];
    const base = pointer('paths', found.template, method);

    const responses = found.operation.responses as Json;
    const key = [String(exchange.status), `${String(exchange.status)[0]}XX`, 'default'].find((candidate) => candidate in responses);
    if (!key) return [`${exchange.method} ${found.template}: status ${exchange.status} is not documented`];
    const response = resolve(responses[key] as Json, `${base}/responses/${key}`);
    const content = response.node.content as Json | undefined;
    if (content) {
      const mediaType = exchange.contentType?.split(';')[0]?.trim();
      if (!mediaType || !(mediaType in content)) {
        violations.push(`${exchange.method} ${found.template} ${exchange.status}: content type ${mediaType} is not documented (${Object.keys(content).join(', ')})`);
      } else if ((content[mediaType] as Json).schema && /json/.test(mediaType)) {
        const errors = validateAt(`${response.location}/content/${pointer(mediaType)}/schema`, exchange.body);
        violations.push(...errors.map((error) => `${exchange.method} ${found.template} ${exchange.status} response: ${error}`));
      }
    }

    // A request the contract calls invalid must not succeed.
    const requestBody = found.operation.requestBody as Json | undefined;
    const jsonRequest = (requestBody?.content as Json | undefined)?.['application/json'] as Json | undefined;
    if (exchange.status < 400 && jsonRequest?.schema && exchange.requestBody !== undefined) {
      const errors = validateAt(`${base}/requestBody/content/${pointer('application/json')}/schema`, exchange.requestBody);
      if (errors.length > 0) {
        violations.push(`${exchange.method} ${found.template} accepted (${exchange.status}) a body the contract declares invalid: ${errors.join('; ')}`);
      }
    }
    return violations;
  }

  function assertMatchesContract(exchange: Exchange): void {
    const violations = contractViolations(exchange);
    if (violations.length > 0) {
      throw new Error(`Response drifts from ${name}:\n- ${violations.join('\n- ')}\nbody: ${JSON.stringify(exchange.body).slice(0, 2000)}`);
    }
  }

  return { findOperation, contractViolations, assertMatchesContract, document: spec };
}

const fixed = contractOf(YAML.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'openapi.yaml'), 'utf8')) as Json);
export const { findOperation, contractViolations, assertMatchesContract } = fixed;

/** The parsed contract, for tests that compare it with the code. */
export function openApiDocument(): Json {
  return fixed.document;
}
