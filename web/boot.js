// Starts the playground: imports the wasm-bindgen module and instantiates the WebAssembly file whose
// (content-hashed) names trunk writes into <meta name="podstep-app"> (Trunk.toml, `pattern_script`).
// A file of its own rather than trunk's inline loader, so that the Content-Security-Policy in
// index.html needs no 'unsafe-inline'. Nothing here touches the scenario: the app reads the URL itself.
const app = document.querySelector('meta[name="podstep-app"]');
try {
  const bindings = await import(new URL(app.dataset.js, document.baseURI).href);
  const wasm = new URL(app.dataset.wasm, document.baseURI).href;
  // The WebAssembly is fetched with the integrity trunk wrote on its preload, as the scripts are
  // loaded with theirs: a file altered on the way or on the host is refused, not run.
  const preload = [...document.querySelectorAll('link[rel="preload"][integrity]')].find(
    (l) => new URL(l.getAttribute('href'), document.baseURI).href === wasm,
  );
  const module_or_path = preload
    ? fetch(wasm, { integrity: preload.integrity, credentials: 'same-origin' })
    : wasm;
  await bindings.default({ module_or_path });
  // As trunk's own loader does: the exports, for tests and the browser console.
  window.wasmBindings = bindings;
} catch (e) {
  const p = document.createElement('p');
  p.className = 'boot-error';
  p.textContent = `Podstep could not start in this browser: ${e}`;
  document.body.prepend(p);
  throw e;
}
