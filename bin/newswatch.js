#!/usr/bin/env node
// The installed `newswatch` command (and `npm start`): run the TypeScript CLI through tsx's loader.
// Checked first, because an older Node fails while loading modules, with a message about a
// missing export instead of the version (node:crypto's one-shot `hash` is 20.12+).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  console.error(`newswatch needs Node.js 20.12 or newer; this is ${process.version}.`);
  process.exit(1);
}

const { register } = await import('tsx/esm/api');
register();
const { runProcess } = await import('../cli/main.ts');
void runProcess();
