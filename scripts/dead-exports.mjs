// Lists exported symbols that nothing outside their own file refers to (tests count as users),
// with the TypeScript language service: a candidate list for removing dead exports, read by a
// person (a type that names an exported function's parameter may well stay exported).
//
//   node scripts/dead-exports.mjs [path-regex]      e.g. node scripts/dead-exports.mjs '^services/'
//
// Prints `file:line<TAB>name<TAB>used inside|UNUSED`. It asks for the references of every export,
// so it takes about a minute. Callers in .mjs/.js files and bench cases loaded by name are not
// seen; the default exports of config files and bench cases are listed though in use.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));
const ts = require('typescript');
const walk = (d, out = []) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'release', '.git'].includes(e.name)) continue;
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts)$/.test(e.name)) out.push(p);
  }
  return out;
};
const files = walk(root);
const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, jsx: ts.JsxEmit.ReactJSX, allowJs: false, strict: true, skipLibCheck: true, esModuleInterop: true, resolveJsonModule: true, types: ['node', 'vite/client'], lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'] };
const versions = new Map(files.map((f) => [f, '1']));
const host = {
  getScriptFileNames: () => files,
  getScriptVersion: (f) => versions.get(f) ?? '1',
  getScriptSnapshot: (f) => (fs.existsSync(f) ? ts.ScriptSnapshot.fromString(fs.readFileSync(f, 'utf8')) : undefined),
  getCurrentDirectory: () => root,
  getCompilationSettings: () => options,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: ts.sys.fileExists,
  readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
};
const ls = ts.createLanguageService(host, ts.createDocumentRegistry());
const program = ls.getProgram();
const checker = program.getTypeChecker();
const only = process.argv[2] ? new RegExp(process.argv[2]) : null;
for (const f of files) {
  const rel = path.relative(root, f);
  if (rel.startsWith('tests/') || rel.endsWith('.d.ts')) continue;
  if (only && !only.test(rel)) continue;
  const sf = program.getSourceFile(f);
  if (!sf) continue;
  const sym = checker.getSymbolAtLocation(sf);
  if (!sym) continue;
  for (const ex of checker.getExportsOfModule(sym)) {
    const decl = ex.declarations?.[0];
    if (!decl || decl.getSourceFile() !== sf) continue; // re-exports: counted at their source
    const nameNode = ts.getNameOfDeclaration(decl) ?? decl;
    const refs = ls.findReferences(f, nameNode.getStart()) ?? [];
    const outside = refs.flatMap((r) => r.references).filter((r) => r.fileName !== f);
    if (outside.length === 0) {
      const inside = refs.flatMap((r) => r.references).filter((r) => r.fileName === f && !r.isDefinition).length;
      console.log(`${rel}:${sf.getLineAndCharacterOfPosition(nameNode.getStart()).line + 1}\t${ex.name}\t${inside ? 'used inside' : 'UNUSED'}`);
    }
  }
}
