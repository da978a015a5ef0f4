// The one way the page talks to the daemon: JSON over /api/v1 with the session cookie, the CSRF
// token on every change (the API refuses a change without it), and If-Match where a ticket's
// version matters. Nothing else is fetched, from here or anywhere.

export const session = {
  user: null,   // {name, role, display_name, ...} from POST /session or GET /me
  csrf: '',
};

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = (body && body.error) || '';
    this.body = body || {};
  }
}

// Told when the session has ended (401 on a request that needed it): the app shows the sign-in.
let onSignedOut = () => {};
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

export async function request(method, path, body, {ifMatch, quiet401 = false} = {}) {
  const headers = {'Accept': 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  if (ifMatch) headers['If-Match'] = ifMatch;
  let response;
  try {
    response = await fetch('/api/v1' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, {error: 'network', message: String(e && e.message || e)});
  }
  let data = null;
  if (response.status !== 204) {
    const text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = {error: 'not_json', message: text.slice(0, 200)};
      }
    }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && !quiet401 && session.user) {
      session.user = null;
      session.csrf = '';
      onSignedOut();
    }
    throw error;
  }
  return {data, etag: response.headers.get('ETag'), status: response.status};
}

export const get = (path, options) => request('GET', path, undefined, options);
export const post = (path, body = {}, options) => request('POST', path, body, options);
export const put = (path, body, options) => request('PUT', path, body, options);
export const patch = (path, body, options) => request('PATCH', path, body, options);
export const del = (path, options) => request('DELETE', path, undefined, options);

// A query string from an object, leaving out empty values.
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

export const enc = encodeURIComponent;

// What the role may do on the page's own terms (which buttons exist). The API refuses the same
// things anyway; the ticket's steps come from the ticket itself (available_steps).
const ranks = {agent: 1, manager: 2, owner: 3};
export function atLeast(role) {
  return !!session.user && (ranks[session.user.role] || 0) >= ranks[role];
}
