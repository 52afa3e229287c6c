// The REST API as the console calls it: every call with the bearer token the user typed, kept in
// this tab's sessionStorage only; an error answer becomes an ApiError carrying the API's own
// message ({"error", "details"}), which the page shows as it is.

const TOKEN_KEY = 'migratekit.api-token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, error, details) {
    super((status ? status + ' ' : '') + error + (details ? ': ' + details : ''));
    this.status = status;
    this.error = error;
    this.details = details;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json', Authorization: 'Bearer ' + token.get() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'The API cannot be reached', e.message);
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    throw new ApiError(response.status, (json && json.error) || response.statusText || 'HTTP error',
      json ? json.details : text.slice(0, 300));
  }
  return json;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const q = encodeURIComponent;
