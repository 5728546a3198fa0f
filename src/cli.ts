#!/usr/bin/env node
import { Command } from 'commander';
import { registerGenerate } from './commands/generate.js';
import { registerResolve } from './commands/resolve.js';

const program = new Command('witbind')
  .description('TypeScript bindings for WebAssembly components and canonical-ABI core modules')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)')
  .addHelpText(
    'after',
    `
Examples:
  $ witbind generate wit/machine.wit --out src/generated     # bindings for the world of a WIT file
  $ witbind generate guest.component.wasm --out src/generated # bindings for a component
  $ witbind watch wit/ --out src/generated                    # regenerate on every change
  $ witbind check wit/ --out src/generated                    # in CI: fail when the files are stale
  $ witbind resolve wit/ --json                               # the resolved model, as wasm-tools prints it

Colors: on for a terminal; NO_COLOR=1 turns them off, FORCE_COLOR=1 forces them on.
Run \`witbind <command> --help\` for the options of a command.
`,
  );

registerGenerate(program);
registerResolve(program);

await program.parseAsync(process.argv);
