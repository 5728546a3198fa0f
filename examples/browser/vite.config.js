// `npx vite examples/browser` (dev) or `npx vite build examples/browser` after
// `node examples/browser/prepare.mjs` (which wraps the C guest into a component).
import witbind from 'witbind/vite';

export default {
  // The page is plain JavaScript: no .d.ts next to the imported WIT file.
  plugins: [witbind({ dts: false })],
  build: { target: 'es2022' },
  server: { fs: { allow: ['../..'] } },
};
