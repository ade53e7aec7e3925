#!/usr/bin/env node
/**
 * Codemod: the words of an error live only in the catalogues.
 *
 * Rewrites every `new ClearingError(code, message, options?)` into
 * `new ClearingError(code, options?)`: the English message at the throw site is
 * dropped, because ClearingError now takes its English text from the English
 * catalogue (src/core/i18n/en/errors.ts, src/core/crypto/**\/messages.ts) and
 * the edge translates the code. A site whose second argument is already an
 * options object, or that has no second argument, is left alone, so running
 * the codemod twice changes nothing.
 *
 * Usage (from the repository root):
 *
 *   node scripts/codemods/error-messages.mjs            # rewrite src/ in place
 *   node scripts/codemods/error-messages.mjs --check    # list what it would change; exit 1 if anything
 *   node scripts/codemods/error-messages.mjs src/server # only part of the tree
 *
 * Then `npm run typecheck`: a code that is not in src/core/errors/codes.ts no
 * longer compiles. Each dropped message is printed beside the catalogue's
 * English words; where the dropped text said something the catalogue does
 * not (a path, a reason), pass it as a `params` value the message uses, or as
 * `detail` (a note for logs only).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const targets = args.filter((a) => !a.startsWith('--'));
const roots = (targets.length > 0 ? targets : ['src']).map((t) => resolve(root, t));

function files(path) {
  if (statSync(path).isFile()) return /\.tsx?$/.test(path) ? [path] : [];
  return readdirSync(path).flatMap((name) => (name === 'node_modules' || name.startsWith('.') ? [] : files(join(path, name))));
}

/** An options object, or a choice between two (`cause === undefined ? { … } : { … }`). */
function isOptions(node) {
  if (ts.isObjectLiteralExpression(node)) return true;
  if (ts.isParenthesizedExpression(node)) return isOptions(node.expression);
  return ts.isConditionalExpression(node) && isOptions(node.whenTrue) && isOptions(node.whenFalse);
}

/** Arguments that are words, not options: a string, a template, `error.message`, a concatenation. */
function isMessage(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'message') return true;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return true;
  if (ts.isParenthesizedExpression(node)) return isMessage(node.expression);
  return false;
}

let changed = 0;
let skipped = 0;
for (const file of roots.flatMap(files)) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes('ClearingError(')) continue;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edits = [];
  const visit = (node) => {
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'ClearingError' &&
      node.arguments &&
      node.arguments.length >= 2
    ) {
      const [code, message] = node.arguments;
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      const where = `${relative(root, file)}:${line + 1}`;
      if (isOptions(message)) {
        // Already rewritten.
      } else if (!isMessage(message)) {
        skipped++;
        console.warn(`${where}: second argument is neither words nor an options object; left for a human: ${message.getText(source)}`);
      } else {
        // From the end of the code to the end of the words: the separator before the options stays as written.
        edits.push({ start: code.end, end: message.end, text: '' });
        console.log(`${where}: ${code.getText(source)} — dropped ${message.getText(source).replace(/\s+/g, ' ')}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (edits.length === 0) continue;
  changed += edits.length;
  if (check) continue;
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  writeFileSync(file, out);
}
console.log(`${check ? 'would rewrite' : 'rewrote'} ${changed} throw site(s)${skipped ? `, ${skipped} left for a human` : ''}`);
if (check && changed > 0) process.exitCode = 1;
