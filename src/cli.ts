#!/usr/bin/env node
import { Command } from 'commander';
import { registerGenerate } from './commands/generate.js';
import { registerResolve } from './commands/resolve.js';

const program = new Command('witbind')
  .description('TypeScript bindings for WebAssembly components and canonical-ABI core modules')
  .version('0.1.0');

registerResolve(program);
registerGenerate(program);

await program.parseAsync(process.argv);
