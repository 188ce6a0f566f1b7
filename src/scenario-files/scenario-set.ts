import type { Config } from '../config';
import type { Database } from '../db/database';
import { validationError } from '../errors';
import type { GraphLimits } from '../graphs/graph-request';
import type { ModelIndex } from '../schema/schema-model';
import { schemaRegistryOf } from '../schema/schema-registry';
import { readScenarioFiles, ScenarioFilesError, formatProblem, type FileProblem } from '../files/read-scenario-files';
import { compileScenario, type ScenarioDefinition } from './scenario-definition';

export type ScenarioFilesConfig = Pick<Config, 'scenariosDir' | 'targetSchemas' | 'uniqueDeclarations' | 'maxRowsPerRequest' | 'defaultTagTtlSeconds'>;

/** The scenarios of TESTAPI_SCENARIOS_DIR, by name, in file order. */
export type ScenarioSet = ReadonlyMap<string, ScenarioDefinition>;

/**
 * Reads and checks every file of the folder against `index`; all or nothing:
 * one bad file and the whole set is refused with every problem listed.
 */
export async function loadScenarioSet(dir: string, index: ModelIndex, limits: GraphLimits): Promise<ScenarioSet> {
  const { files, problems } = await readScenarioFiles(dir);
  const set = new Map<string, ScenarioDefinition>();
  for (const file of files) {
    let compiled: ReturnType<typeof compileScenario>;
    try {
      compiled = compileScenario(file, index, limits);
    } catch (error) {
      // Whatever a file holds, it is a problem named in one line, never a crash of start-up or a 500 on reload.
      compiled = [{ file: file.file, path: '(file)', message: `cannot be checked: ${(error as Error).message}` }];
    }
    if (Array.isArray(compiled)) {
      problems.push(...compiled);
      continue;
    }
    const other = set.get(compiled.name);
    if (other) problems.push({ file: file.file, path: 'name', message: `scenario "${compiled.name}" is already defined in ${other.file}` });
    else set.set(compiled.name, compiled);
  }
  if (problems.length > 0) throw new ScenarioFilesError(problems);
  return set;
}

export interface ScenarioFiles {
  /** The set in use: read on first use (the server reads it at start-up, where a bad file stops it). */
  current(): Promise<ScenarioSet>;
}

const EMPTY: ScenarioSet = new Map();
const registries = new WeakMap<Database, ScenarioFiles>();

/** One set per database handle; POST /schema/reload re-reads the folder against the new model, or keeps both old ones (400). */
export function scenarioFilesOf(db: Database, config: ScenarioFilesConfig): ScenarioFiles {
  let files = registries.get(db);
  if (!files) {
    files = createScenarioFiles(db, config);
    registries.set(db, files);
  }
  return files;
}

function createScenarioFiles(db: Database, config: ScenarioFilesConfig): ScenarioFiles {
  const { scenariosDir } = config;
  const limits: GraphLimits = { maxRows: config.maxRowsPerRequest, defaultTtlSeconds: config.defaultTagTtlSeconds };
  const schema = schemaRegistryOf(db, config);
  let loading: Promise<ScenarioSet> | undefined;
  if (scenariosDir !== undefined) {
    schema.onReload(async (next) => {
      let set: ScenarioSet;
      try {
        set = await loadScenarioSet(scenariosDir, next, limits);
      } catch (error) {
        if (!(error instanceof ScenarioFilesError)) throw error;
        throw reloadRefused(error.problems);
      }
      return () => {
        loading = Promise.resolve(set);
      };
    });
  }
  return {
    current() {
      if (scenariosDir === undefined) return Promise.resolve(EMPTY);
      loading ??= schema
        .current()
        .then((index) => loadScenarioSet(scenariosDir, index, limits))
        .catch((error: unknown) => {
          loading = undefined;
          throw error;
        });
      return loading;
    },
  };
}

function reloadRefused(problems: FileProblem[]) {
  return validationError(
    problems.map((problem) => ({ path: `${problem.file}:${problem.path}`, message: problem.message })),
    `The scenario files do not fit the new model (or do not parse): nothing was reloaded, the previous model and scenarios stay in use. First: ${formatProblem(problems[0]!)}`,
  );
}
