// Server-sent events read with fetch: EventSource cannot send the Authorization header, and the credential must not
// travel in the URL. Parses the text/event-stream format (event, data, id, retry), reconnects when the server ends
// the stream (it does, on purpose, every few minutes) after the interval the server asked for, and stops for good on
// 401/404 or when stop() is called.
import { authHeaders } from './api.js';

export function watch(url, onEvent, onState) {
  let stopped = false;
  let controller = null;
  let retry = 3000;
  let lastId = null;

  async function connect() {
    while (!stopped) {
      controller = new AbortController();
      let response;
      try {
        const extra = { Accept: 'text/event-stream' };
        if (lastId) {
          extra['Last-Event-ID'] = lastId;
        }
        response = await fetch(url, { headers: authHeaders(extra), cache: 'no-store', signal: controller.signal });
      } catch {
        response = null;
      }
      if (stopped) {
        return;
      }
      if (response && (response.status === 401 || response.status === 404)) {
        onState('gone', response.status);
        return;
      }
      if (response && response.ok && response.body) {
        onState('open');
        try {
          await read(response.body);
        } catch {
          // aborted or cut: reconnect below
        }
      }
      if (stopped) {
        return;
      }
      onState('waiting');
      await new Promise((resolve) => setTimeout(resolve, retry));
    }
  }

  async function read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { type: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          if (event.data.length > 0) {
            onEvent(event.type, event.data.join('\n'));
          }
          event = { type: 'message', data: [] };
          continue;
        }
        if (line.startsWith(':')) {
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') {
          event.type = text;
        } else if (field === 'data') {
          event.data.push(text);
        } else if (field === 'id') {
          lastId = text;
        } else if (field === 'retry' && /^\d+$/.test(text)) {
          retry = Number(text);
        }
      }
    }
  }

  connect();
  return () => {
    stopped = true;
    if (controller) {
      controller.abort();
    }
  };
}
