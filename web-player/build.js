// Bundles src/index.js twice: an ES module for bundlers and pages that import it, and one classic
// script defining the global `swarmcdn` for a plain <script src>; and src/core.js, the engine
// without hls.js, as an ES module for pages that bring their own. All land in dist/, which the
// Maven build packages under player/ next to the demo page.
import { build } from 'esbuild';

const common = {
  entryPoints: ['src/index.js'],
  bundle: true,
  // Browsers with RTCPeerConnection data channels and Media Source Extensions all run ES2020.
  target: 'es2020',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, format: 'esm', outfile: 'dist/player.mjs' }),
  build({ ...common, format: 'iife', globalName: 'swarmcdn', minify: true, outfile: 'dist/player.js' }),
  build({ ...common, entryPoints: ['src/core.js'], format: 'esm', outfile: 'dist/core.mjs' }),
]);
