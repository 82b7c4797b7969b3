// The channel's JSON API as the console calls it: the token only ever in the Authorization header, never in a URL,
// never in the page, never logged. Paths are relative to the page (/console/ -> /api/), so a reverse proxy that
// serves the channel under a prefix keeps working.

/** A refused or failed call: the HTTP status (0 when the channel could not be reached) and the API's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * @param token      the API token (CHANNEL_API_TOKEN)
 * @param baseUrl    the page's URL; the API is at ../api/ from it
 */
export function createApi(token, baseUrl) {
  const root = new URL('../api/', baseUrl);

  async function call(method, path, query) {
    const url = new URL(path, root);
    for (const [k, v] of Object.entries(query || {})) {
      if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, v);
    }
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'error',
        referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      throw new ApiError(0, 'the channel cannot be reached');
    }
    const type = response.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await response.json().catch(() => null) : null;
    if (!response.ok) {
      const message = body && typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
      throw new ApiError(response.status, message);
    }
    return body;
  }

  return {
    get: (path, query) => call('GET', path, query),
    post: (path) => call('POST', path),
  };
}
