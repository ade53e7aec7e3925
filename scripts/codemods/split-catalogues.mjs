#!/usr/bin/env node
/**
 * Splits the message catalogues by area: src/core/i18n/<lang>.ts (one object
 * with a block per screen or area) becomes src/core/i18n/<lang>/<file>.ts,
 * assembled in src/core/i18n/<lang>/index.ts with the same object shape
 * (catalogs.en.auth.login stays catalogs.en.auth.login).
 *
 * Mechanical on purpose, so it can be run again after another branch has added
 * blocks or keys to the old single files:
 *
 *   git checkout <their-branch> -- src/core/i18n/en.ts src/core/i18n/ru.ts
 *   node scripts/codemods/split-catalogues.mjs          # rewrites en/ and ru/, deletes en.ts and ru.ts
 *   npm run typecheck && npx vitest run --project unit src/core/i18n
 *
 * Which block goes to which file is the table `fileOf` below; a block the table
 * does not name (a new `ui`, `cases`, …) gets a file of its own named after it.
 * Blocks keep their text byte for byte, comments included.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const i18n = join(root, 'src/core/i18n');

/** Block of the catalogue → file in <lang>/. Cases, evidence and verification get files of their own. */
const fileOf = {
  app: 'app',
  nav: 'app',
  home: 'app',
  about: 'app',
  common: 'app',
  errorPage: 'app',
  setup: 'setup',
  auth: 'auth',
  totp: 'auth',
  passphrase: 'auth',
  lock: 'auth',
  invite: 'members',
  invitations: 'members',
  members: 'members',
  account: 'account',
  trust: 'membership',
  membership: 'membership',
  audit: 'audit',
  cli: 'cli',
  errors: 'errors',
  cases: 'cases',
  evidence: 'evidence',
  verification: 'verification',
};

/**
 * Keys removed because nothing used them (decision 0014); dropped again when a
 * branch's old single file still has them. test/unit/catalogue-keys.test.ts
 * finds any new unused key.
 */
const dropKeys = new Set(['home.nextSteps', 'about.version', 'about.database', 'cli.auditProblem', 'membership.untrustedTitle', 'membership.publishing']);

const purpose = {
  app: 'The shell of the app: name, navigation, home, about, shared words, the error page.',
  setup: 'First-run setup of the organization.',
  auth: 'Logging in, the second factor, passphrases, locking.',
  members: 'Invitations and the members page.',
  account: 'The account page: second factors, recovery codes, sessions.',
  membership: 'Trust in the organization key and the signed membership list.',
  audit: 'The audit log page.',
  cli: 'The command line.',
  errors: 'The words for every application error code (src/core/errors/codes.ts).',
  ui: 'Shared pieces of the interface: layout, components, forms.',
  cases: 'Cases and compartments.',
  evidence: 'Evidence files, manifests and custody.',
  verification: 'Verification panels, claims and reports.',
};

const languageName = { en: 'English', ru: 'Russian' };

/** The blocks of `export const <lang> = { … }` in source order, each with its exact text. */
function blocksOf(path, lang) {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let object;
  source.forEachChild((node) => {
    if (!ts.isVariableStatement(node)) return;
    for (const decl of node.declarationList.declarations) {
      if (ts.isIdentifier(decl.name) && decl.name.text === lang && decl.initializer && ts.isObjectLiteralExpression(decl.initializer))
        object = decl.initializer;
    }
  });
  if (!object) throw new Error(`${path}: no \`export const ${lang} = { … }\``);
  return object.properties.map((p) => {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
      throw new Error(`${path}: unexpected member ${p.getText(source)}`);
    // Leading comments belong to the block they precede.
    const full = text.slice(p.getFullStart(), p.getStart(source));
    const comments = full
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('//') || l.startsWith('/*') || l.startsWith('*'));
    // Unused keys go; the rest of the block keeps its text.
    let body = p.initializer.getText(source);
    if (ts.isObjectLiteralExpression(p.initializer)) {
      const start = p.initializer.getStart(source);
      const cuts = p.initializer.properties
        .filter((q) => q.name && dropKeys.has(`${p.name.text}.${q.name.text}`))
        .map((q) => {
          // The whole line: indentation, the property, its comma and the newline.
          const from = text.lastIndexOf('\n', q.getStart(source)) + 1;
          const to = text.indexOf('\n', q.end) + 1;
          return { from: from - start, to: to - start };
        })
        .sort((x, y) => y.from - x.from);
      for (const cut of cuts) body = body.slice(0, cut.from) + body.slice(cut.to);
    }
    // One level of indentation less: the block is now a top-level constant.
    const value = body
      .split('\n')
      .map((line, i) => (i === 0 ? line : line.replace(/^ {2}/, '')))
      .join('\n');
    return { name: p.name.text, comments, value };
  });
}

function write(lang, blocks) {
  const dir = join(i18n, lang);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = new Map();
  for (const block of blocks) {
    const file = fileOf[block.name] ?? block.name;
    if (!files.has(file)) files.set(file, []);
    files.get(file).push(block);
  }
  for (const [file, members] of files) {
    const lines = [];
    lines.push(`/** ${purpose[file] ?? `The ${file} area.`} ${languageName[lang] ?? lang}. */`);
    if (lang !== 'en') lines.push(`import type { Messages } from '../en/index.js';`);
    if (lang === 'en' && members.some((b) => b.name === 'errors')) lines.push(`import type { AppErrorCode } from '../../errors/codes.js';`);
    lines.push('');
    for (const block of members) {
      for (const c of block.comments) lines.push(c);
      const type = lang === 'en' ? '' : `: Messages['${block.name}']`;
      // English errors name every application code, no more and no fewer.
      const check = lang === 'en' && block.name === 'errors' ? ' satisfies Record<AppErrorCode, string>' : '';
      lines.push(`export const ${block.name}${type} = ${block.value}${check};`);
      lines.push('');
    }
    writeFileSync(join(dir, `${file}.ts`), lines.join('\n').replace(/\n+$/, '\n'));
  }
  const index = [];
  index.push(`/** The ${languageName[lang] ?? lang} catalogue, assembled from one file per area (scripts/codemods/split-catalogues.mjs). */`);
  if (lang !== 'en') index.push(`import type { Messages } from '../en/index.js';`);
  for (const [file, members] of files) index.push(`import { ${members.map((b) => b.name).join(', ')} } from './${file}.js';`);
  index.push('');
  index.push(`export const ${lang}${lang === 'en' ? '' : ': Messages'} = { ${blocks.map((b) => b.name).join(', ')} };`);
  if (lang === 'en') {
    index.push('');
    index.push('/** The shape every language has: every key of English. */');
    index.push('export type Messages = typeof en;');
  }
  writeFileSync(join(dir, 'index.ts'), `${index.join('\n')}\n`);
}

let did = false;
for (const lang of ['en', 'ru']) {
  const single = join(i18n, `${lang}.ts`);
  if (!existsSync(single)) continue;
  write(lang, blocksOf(single, lang));
  rmSync(single);
  did = true;
  console.log(`split ${single} into ${join(i18n, lang)}/`);
}
if (!did) console.log('nothing to split: src/core/i18n/en.ts and ru.ts are already split');
