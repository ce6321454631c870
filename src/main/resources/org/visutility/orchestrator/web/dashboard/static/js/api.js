// A node with ORCHESTRATOR_READ_TOKENS set answers the read API only with a read (or operator)
// token: the page asks for it once, keeps it for this browser tab only (sessionStorage, never in
// the address), and sends it as a bearer token.
const TOKEN_KEY = 'orchestrator.read-token';

function headers() {
  const h = { Accept: 'application/json' };
  const token = window.sessionStorage.getItem(TOKEN_KEY);
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

// The dashboard's one way to the read API: GET a JSON document, or throw with the server's message.
export async function getJson(path) {
  let response = await fetch(path, { headers: headers() });
  if (response.status === 401) {
    const token = window.prompt('This node wants a read token (one of ORCHESTRATOR_READ_TOKENS, or an operator token):');
    if (token) {
      window.sessionStorage.setItem(TOKEN_KEY, token.trim());
      response = await fetch(path, { headers: headers() });
    }
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    // not JSON: reported below with the status
  }
  if (!response.ok) {
    const reason = body && body.error ? body.error : response.statusText;
    throw new Error(`${path}: ${response.status} ${reason}`);
  }
  return body;
}

/** A query string from the non-empty entries of an object. */
export function query(params) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  });
  const s = q.toString();
  return s ? `?${s}` : '';
}
