// Bundles the code editor (web/editor/main.js and CodeMirror, pinned in package-lock.json) into
// editor.js beside the app, as trunk's post-build hook (Trunk.toml): trunk hands the staging directory
// in TRUNK_STAGING_DIR. Minified in release builds. Run by hand, it writes dist/editor.js.
import { build } from 'esbuild';
import { join } from 'node:path';

const outdir = process.env.TRUNK_STAGING_DIR || 'dist';
const release = (process.env.TRUNK_PROFILE || 'release') === 'release';
await build({
  entryPoints: ['web/editor/main.js'],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: release,
  legalComments: 'eof',
  outfile: join(outdir, 'editor.js'),
  logLevel: 'warning',
});
