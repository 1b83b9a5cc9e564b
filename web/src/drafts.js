// The playground's drafts in IndexedDB: the autosave, the draft a link replaced, an autosave that could
// not be read. IndexedDB holds any scenario the page accepts (localStorage's few megabytes of UTF-16
// do not). Imported by session.rs through wasm-bindgen; what a draft holds (the scenario's JSON) and how
// it is checked on the way back stay in Rust (crates/share). Every function resolves, never rejects: a
// browser without IndexedDB, or one that refuses it (private modes, storage blocked, quota), answers
// with the reason, and the caller says so.

const NAME = 'podstep';
const STORE = 'drafts';

let opened = null;

function open() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new DOMException('another tab holds an older database', 'AbortError'));
    });
    // A failed open is retried next time (the person may free space or allow storage meanwhile).
    opened.catch(() => {
      opened = null;
    });
  }
  return opened;
}

function reason(e) {
  if (e && e.name === 'QuotaExceededError') return 'its storage is full';
  return `${(e && e.name) || 'Error'}: ${(e && e.message) || e}`;
}

// One request in its own transaction; resolves to {ok: value} or {error: reason}. A write counts as
// done only once its transaction has committed.
async function run(mode, act) {
  let db;
  try {
    db = await open();
  } catch (e) {
    return { error: reason(e) };
  }
  return new Promise((resolve) => {
    let tx;
    let result;
    try {
      tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      request.onsuccess = () => {
        result = request.result;
      };
    } catch (e) {
      resolve({ error: reason(e) });
      return;
    }
    tx.oncomplete = () => resolve({ ok: result === undefined ? null : result });
    tx.onerror = () => resolve({ error: reason(tx.error) });
    tx.onabort = () => resolve({ error: reason(tx.error) });
  });
}

// Resolves to the text under `key`, null when there is none, or {error}.
export async function draftGet(key) {
  const r = await run('readonly', (store) => store.get(key));
  if (r.error !== undefined) return { error: r.error };
  return typeof r.ok === 'string' ? r.ok : null;
}

// Resolves to null once `text` is stored under `key`, or to the reason it is not.
export async function draftPut(key, text) {
  const r = await run('readwrite', (store) => store.put(text, key));
  return r.error === undefined ? null : r.error;
}

// Resolves to null once `key` holds nothing, or to the reason it still may.
export async function draftDelete(key) {
  const r = await run('readwrite', (store) => store.delete(key));
  return r.error === undefined ? null : r.error;
}
