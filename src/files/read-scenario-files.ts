import fs from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';

/**
 * Reads the scenario files of TESTAPI_SCENARIOS_DIR as plain data. A file is
 * reviewed code of the application, but it is still parsed as data only:
 * YAML with the core schema (no custom tags, so nothing can construct an
 * object or run anything), with caps that stop a billion-laughs alias bomb
 * and a huge file before they cost memory.
 */
export const MAX_FILE_BYTES = 256 * 1024;
export const MAX_FILES = 500;
/** Aliases resolved per file: a hand-written scenario needs a few; a bomb needs thousands. */
export const MAX_ALIAS_COUNT = 50;
const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface RawScenarioFile {
  /** The file name inside the folder: what every message names. */
  file: string;
  content: unknown;
}

/** A problem with one scenario file, at a path inside it (`graph.customer[0].set.email`, or `(file)`). */
export interface FileProblem {
  file: string;
  path: string;
  message: string;
}

export class ScenarioFilesError extends Error {
  constructor(readonly problems: FileProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioFilesError';
  }
}

export function formatProblem(problem: FileProblem): string {
  return `${problem.file}: ${problem.path}: ${problem.message}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

function parseYaml(file: string, text: string): RawScenarioFile | FileProblem {
  const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: true, logLevel: 'silent', schema: 'core', merge: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) return { file, path: '(file)', message: `not valid YAML: ${firstLine(problem.message)}` };
  try {
    return { file, content: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    return { file, path: '(file)', message: `refused: ${(error as Error).message} (at most ${MAX_ALIAS_COUNT} aliases are resolved per file)` };
  }
}

function parseJson(file: string, text: string): RawScenarioFile | FileProblem {
  try {
    return { file, content: JSON.parse(text) };
  } catch (error) {
    return { file, path: '(file)', message: `not valid JSON: ${firstLine((error as Error).message)}` };
  }
}

/** Every .yaml, .yml and .json file of `dir` (not its subfolders), sorted by name; problems collected, not thrown. */
export async function readScenarioFiles(dir: string): Promise<{ files: RawScenarioFile[]; problems: FileProblem[] }> {
  let entries: string[];
  try {
    // Symbolic links count (a repository may link shared scenarios in); what they point at must be a file.
    entries = (await fs.readdir(dir, { withFileTypes: true }))
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
      .map((entry) => entry.name);
  } catch (error) {
    return { files: [], problems: [{ file: dir, path: '(folder)', message: `cannot read TESTAPI_SCENARIOS_DIR: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
  }
  entries.sort();
  if (entries.length > MAX_FILES) {
    return { files: [], problems: [{ file: dir, path: '(folder)', message: `holds ${entries.length} scenario files, more than ${MAX_FILES}` }] };
  }
  const files: RawScenarioFile[] = [];
  const problems: FileProblem[] = [];
  for (const name of entries) {
    const full = path.join(dir, name);
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat?.isFile()) {
      problems.push({ file: name, path: '(file)', message: 'is a link to nothing readable or to a folder' });
      continue;
    }
    const { size } = stat;
    // Checked before reading: a huge file is refused without loading it.
    if (size > MAX_FILE_BYTES) {
      problems.push({ file: name, path: '(file)', message: `is ${size} bytes, more than the ${MAX_FILE_BYTES} a scenario file may have` });
      continue;
    }
    const text = await fs.readFile(full, 'utf8');
    const parsed = path.extname(name).toLowerCase() === '.json' ? parseJson(name, text) : parseYaml(name, text);
    if ('content' in parsed) files.push(parsed);
    else problems.push(parsed);
  }
  return { files, problems };
}

/** Problems start-up lists one per line after the first; the rest are counted, so a broken folder cannot flood a terminal. */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * What start-up prints for a refused set: the first problem on its own line
 * (file and path), then every other one, indented, up to MAX_LISTED_PROBLEMS
 * in all, so one start shows everything to fix rather than one per try.
 */
export function startupLine(error: ScenarioFilesError, dir: string): string {
  const [first, ...rest] = error.problems;
  const more = rest.length;
  const head = `scenario file ${formatProblem(first!)} (TESTAPI_SCENARIOS_DIR=${dir}${more > 0 ? `; ${more} more problem${more > 1 ? 's' : ''} below` : ''})`;
  const listed = rest.slice(0, MAX_LISTED_PROBLEMS - 1).map((problem) => `  ${formatProblem(problem)}`);
  const unlisted = more - listed.length;
  return [head, ...listed, ...(unlisted > 0 ? [`  ... and ${unlisted} more`] : [])].join('\n');
}
