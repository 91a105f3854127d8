// Shared by the guardian pages: calls the gateway's JSON API and never throws, so each page shows its own message.
// Plain script, no build step; the pages load it before their own script.
'use strict';

window.PtaGuardianApi = Object.freeze({
  /** Returns { status, ok, data }; status 0 when the network failed, data null when the answer was not JSON. */
  async call(method, url, body) {
    try {
      const response = await fetch(url, {
        method,
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
      let data = null;
      try {
        data = await response.json();
      } catch {
        data = null;
      }
      return { status: response.status, ok: response.ok, data };
    } catch {
      return { status: 0, ok: false, data: null };
    }
  },
});
