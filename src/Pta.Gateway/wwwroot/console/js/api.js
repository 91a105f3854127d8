// Calls the gateway's JSON API with the signed-in credential as a Bearer header. The credential lives in
// sessionStorage only: gone when the tab closes, never in a cookie, never in a URL.
const tokenKey = 'pta.console.token';

export const credential = {
  get: () => sessionStorage.getItem(tokenKey),
  set: (token) => sessionStorage.setItem(tokenKey, token),
  clear: () => sessionStorage.removeItem(tokenKey),
};

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const token = credential.get();
  if (token) {
    h.Authorization = 'Bearer ' + token;
  }
  return h;
}

/** Returns { status, ok, data, response }; status 0 when the network failed. Never throws. */
export async function call(method, url, body, extraHeaders) {
  try {
    const response = await fetch(url, {
      method,
      headers: headers(body === undefined ? extraHeaders : { 'Content-Type': 'application/json', ...extraHeaders }),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    let data = null;
    const type = response.headers.get('Content-Type') || '';
    if (type.includes('json')) {
      try {
        data = await response.json();
      } catch {
        data = null;
      }
    }
    if (response.status === 401 && onUnauthorized) {
      onUnauthorized();
    }
    return { status: response.status, ok: response.ok, data, response };
  } catch {
    return { status: 0, ok: false, data: null, response: null };
  }
}

/** A file (CSV) fetched with the credential, as a Blob, or null. */
export async function download(url) {
  try {
    const response = await fetch(url, { headers: headers({ Accept: 'text/csv' }), cache: 'no-store' });
    return response.ok ? await response.blob() : null;
  } catch {
    return null;
  }
}

let onUnauthorized = null;

/** What to do when the gateway stops accepting the credential (revoked): back to sign-in. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export { headers as authHeaders };
