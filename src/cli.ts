#!/usr/bin/env node
import { Command } from 'commander';

const program = new Command('witbind')
  .description('TypeScript bindings for WebAssembly components and canonical-ABI core modules')
  .version('0.1.0');

await program.parseAsync(process.argv);
