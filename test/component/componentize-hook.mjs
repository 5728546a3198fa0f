// Module resolution hook for componentize.mjs. componentize-js 0.22 imports
// `@bytecodealliance/preview2-shim/*` from its own directory, but npm installed that package
// only under jco (node_modules/@bytecodealliance/jco/node_modules/…), where componentize-js
// cannot see it. Resolve those imports from jco's copy instead.
import { register } from 'node:module';

const shim = new URL(
  '../../node_modules/@bytecodealliance/jco/node_modules/@bytecodealliance/preview2-shim/package.json',
  import.meta.url,
).href;

register(
  'data:text/javascript,' +
    encodeURIComponent(`
const shim = ${JSON.stringify(shim)};
export async function resolve(specifier, context, next) {
  if (specifier === '@bytecodealliance/preview2-shim' || specifier.startsWith('@bytecodealliance/preview2-shim/')) {
    return next(specifier, { ...context, parentURL: shim });
  }
  return next(specifier, context);
}`),
);
