import type { Database } from '../db/database';
import { notFound, validationError } from '../errors';
import { validateMapping, type MappingContext, type MappingDefinition } from './mapping';
import { deleteMapping, findMapping, upsertMapping } from './mapping.repository';
import { MAPPING_NAME_MESSAGE, MAPPING_NAME_PATTERN } from './state-tag';

export interface MappingsDeps {
  db: Database;
  /** Read per request: the model and the scenario files change on POST /schema/reload. */
  mappings(): Promise<MappingContext>;
}

export interface MappingView extends MappingDefinition {
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export function parseMappingName(name: string): string {
  if (!MAPPING_NAME_PATTERN.test(name)) throw validationError([{ path: 'name', message: `name ${MAPPING_NAME_MESSAGE}` }]);
  return name;
}

/** PUT /pact/mappings/{name}: validated before anything is stored; replaces a mapping of the same name. */
export async function putMapping(deps: MappingsDeps, name: string, body: unknown): Promise<{ mapping: MappingView; created: boolean }> {
  const valid = parseMappingName(name);
  const { mapping, created } = await upsertMapping(deps.db.pool, valid, validateMapping(body, await deps.mappings()));
  return { mapping: { name: mapping.name, ...mapping.definition, createdAt: mapping.createdAt, updatedAt: mapping.updatedAt }, created };
}

export async function getMapping(deps: Pick<MappingsDeps, 'db'>, name: string): Promise<MappingView> {
  const mapping = await findMapping(deps.db.pool, parseMappingName(name));
  if (!mapping) throw notFound(`No Pact mapping "${name}"; create it with PUT /pact/mappings/${name}.`);
  return { name: mapping.name, ...mapping.definition, createdAt: mapping.createdAt, updatedAt: mapping.updatedAt };
}

/** Deleting the mapping leaves the tags its states provisioned: they expire by their TTL or go with POST /cleanup. */
export async function removeMapping(deps: Pick<MappingsDeps, 'db'>, name: string): Promise<void> {
  if (!(await deleteMapping(deps.db.pool, parseMappingName(name)))) throw notFound(`No Pact mapping "${name}".`);
}
