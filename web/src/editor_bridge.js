// Loads the code editor (editor.js, bundled from web/editor/ by trunk's post-build hook) when the
// page asks, once, and mounts it. A module of its own so that the app's first load carries none of
// CodeMirror: the page shows its own editor until this resolves.

let loading = null;

// Resolves to the handle web/editor/main.js's `mount` returns; rejects if the file cannot be loaded
// (offline on a first visit, a host that did not deploy it), and a later call tries again.
export async function mountEditor(url, parent, text, readOnly, hooks) {
  if (!loading) {
    loading = import(url);
    loading.catch(() => {
      loading = null;
    });
  }
  const editor = await loading;
  return editor.mount(parent, text, readOnly, hooks);
}
