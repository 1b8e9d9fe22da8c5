// Small HTTP helpers shared by the demo provider and the demo service (node:http only).

/** Maximum request body the demo servers read; larger bodies get 413. */
const MAX_BODY_BYTES = 64 * 1024;

/** Send a JSON answer with CORS open to any origin (Google's endpoints answer browsers too). */
export function sendJson(res, status, body, headers = {}) {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(data),
    'Cache-Control': 'no-store',
    'Access-Control-Allow-Origin': '*',
    ...headers
  });
  res.end(data);
}

/** Send a small HTML page (error pages of the authorization endpoint, the COOP interstitial). */
export function sendHtml(res, status, html, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    ...headers
  });
  res.end(html);
}

/** Answer a CORS preflight for any path: browsers call the token and revocation endpoints. */
export function answerPreflight(req, res) {
  res.writeHead(204, {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers':
      req.headers['access-control-request-headers'] ??
      'authorization, content-type',
    'Access-Control-Max-Age': '600',
    'Content-Length': '0'
  });
  res.end();
}

/** Read the whole request body as a string (rejects with .status = 413 past the cap). */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', chunk => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          Object.assign(new Error('request body too large'), { status: 413 })
        );
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Escape text for HTML. */
export function escapeHtml(text) {
  return String(text).replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[
        c
      ]
  );
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** True for hosts that only this machine can reach. */
export function isLoopbackHost(hostname) {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Listen on `host`:`port` (0: any free port); resolves to the port bound. */
export function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

/** On SIGTERM or SIGINT: say so on stderr as `name`, close `servers`, exit 0 (once). */
export function stopOnSignals(name, servers) {
  let stopping = false;
  const stop = signal => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stderr.write(`${name}: ${signal}, stopping\n`);
    for (const server of servers) {
      server.close();
      server.closeAllConnections();
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
