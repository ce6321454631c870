// The dashboard's one way to the read API: GET a JSON document, or throw with the server's message.
export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
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
