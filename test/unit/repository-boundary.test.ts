import fs from 'node:fs';
import path from 'node:path';

/**
 * A user's clone has nothing beside it: every file a test, bench or script
 * reads must live in the repository. This scans the places that read files
 * for paths that leave it: the sibling `shared/` folder the project is
 * developed next to, relative literals that climb above the root, and
 * absolute paths into someone's home or work folder.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SCANNED = ['test', 'bench', 'scripts', '.ci', 'package.json'];
const TEXT_FILE = /\.(?:[cm]?[jt]s|json|sh|ya?ml|sql)$|^run$/;

function filesUnder(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((child) => {
    if (child.name === 'node_modules' || child.name === 'artifacts') return [];
    const relative = path.join(entry, child.name);
    if (child.isDirectory()) return filesUnder(relative);
    return TEXT_FILE.test(child.name) ? [path.join(ROOT, relative)] : [];
  });
}

const SIBLING_SHARED = new RegExp(['\\.\\.', 'shared'].join('[\\\\/]'));
const SHARED_SEGMENT = new RegExp(`'\\.\\.'\\s*,\\s*'${'shared'}[/']`);
const DIRNAME_CALL = /path\.(?:resolve|join)\(\s*__dirname((?:\s*,\s*'[^']*')+)/g;
const FOREIGN_ABSOLUTE = new RegExp(`['"\`](?:/${'work'}/|/${'root'}/|/${'home'}/|/${'Users'}/)`);
const RELATIVE_LITERAL = /['"`]((?:\.\.\/)+[^'"`\s$]*)['"`]/g;

/** Every way the file's text reaches outside ROOT, one line each. */
export function pathsOutside(file: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    const where = `${path.relative(ROOT, file)}:${index + 1}`;
    if (SIBLING_SHARED.test(line) || SHARED_SEGMENT.test(line)) found.push(`${where}: names the sibling shared/ folder`);
    if (FOREIGN_ABSOLUTE.test(line)) found.push(`${where}: an absolute path outside the repository`);
    for (const call of line.matchAll(DIRNAME_CALL)) {
      const segments = [...call[1]!.matchAll(/'([^']*)'/g)].map((segment) => segment[1]!);
      const target = path.resolve(path.dirname(file), ...segments);
      if (path.relative(ROOT, target).startsWith('..')) found.push(`${where}: ${segments.join(', ')} from __dirname resolves outside the repository`);
    }
    for (const match of line.matchAll(RELATIVE_LITERAL)) {
      const target = path.resolve(path.dirname(file), match[1]!);
      if (path.relative(ROOT, target).startsWith('..')) found.push(`${where}: ${match[1]} resolves outside the repository`);
    }
  });
  return found;
}

describe('The repository stands on its own', () => {
  test('When every test, bench, script and CI file is read, then none names a path outside the repository', () => {
    // This file's own examples of offending lines are data, not reads.
    const files = SCANNED.flatMap(filesUnder).filter((file) => file !== __filename);
    expect(files.length).toBeGreaterThan(50);

    const offending = files.flatMap((file) => pathsOutside(file, fs.readFileSync(file, 'utf8')));

    expect(offending).toEqual([]);
  });

  test('When a test reads the sibling shared/ folder, then the scan names the file and line', () => {
    const file = path.join(ROOT, 'test', 'integration', 'example.test.ts');
    const sibling = 'shared';
    const outside = ['..', '..', '..', sibling, 'schemas', 'chinook.sql'].join('/');
    const text = [
      "const ok = path.join(__dirname, 'fixtures');",
      `const bad = path.resolve(__dirname, '${outside}');`,
      `const split = path.resolve(__dirname, '../../..', '..', '${sibling}/schemas/chinook.sql');`,
    ].join('\n');

    expect(pathsOutside(file, text)).toEqual([
      `test/integration/example.test.ts:2: names the sibling shared/ folder`,
      `test/integration/example.test.ts:2: ${outside} from __dirname resolves outside the repository`,
      `test/integration/example.test.ts:2: ${outside} resolves outside the repository`,
      `test/integration/example.test.ts:3: names the sibling shared/ folder`,
      `test/integration/example.test.ts:3: ../../.., .., ${sibling}/schemas/chinook.sql from __dirname resolves outside the repository`,
      `test/integration/example.test.ts:3: ../../.. resolves outside the repository`,
    ]);
  });
});
