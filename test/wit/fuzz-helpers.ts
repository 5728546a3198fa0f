/** The fuzzer (scripts/fuzz-wit/) run in-process against src/, for the fuzz tests. */
import { generateWorld } from '../../src/generate.js';
import { PlanError } from '../../src/abi/plan.js';
import { printPlan } from '../../src/abi/print-plan.js';
import { emitWorldModule } from '../../src/emit/core-module-host.js';
import { renderDiagnostic, WitError } from '../../src/wit/errors.js';
import { loadWitPath, loadWitSource, resolveToJson } from '../../src/wit/load.js';
import { parseWitFile } from '../../src/wit/parse.js';
import { printWit } from '../../src/wit/print.js';
import { SourceMap } from '../../src/wit/source-map.js';
import type { FuzzApi } from '../../scripts/fuzz-wit/index.mjs';

export const srcApi: FuzzApi = {
  loadWitPath,
  loadWitSource,
  resolveToJson: resolveToJson as FuzzApi['resolveToJson'],
  WitError,
  renderDiagnostic: renderDiagnostic as FuzzApi['renderDiagnostic'],
  parseWitFile: parseWitFile as FuzzApi['parseWitFile'],
  printWit: printWit as FuzzApi['printWit'],
  SourceMap,
  generateWorld: generateWorld as FuzzApi['generateWorld'],
  PlanError,
  emitWorldModule: emitWorldModule as FuzzApi['emitWorldModule'],
  printPlan: printPlan as FuzzApi['printPlan'],
};
