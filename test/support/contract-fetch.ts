import { assertMatchesContract, type Exchange } from './contract';

function parseBody(text: string, contentType: string | null | undefined): unknown {
  if (!text) return undefined;
  if (!contentType || !/json/.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A `fetch` for the client under test: every response is checked against
 * openapi.yaml before the client sees it, so a drifting response fails the
 * test whatever the test asserts. `exchanges` records what went over the wire.
 */
export function contractFetch(inner: typeof fetch = globalThis.fetch): typeof fetch & { exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const requestText = request.body ? await request.clone().text() : '';
    const response = await inner(request);
    const contentType = response.headers.get('content-type');
    const exchange: Exchange = {
      method: request.method,
      url: request.url,
      requestBody: parseBody(requestText, request.headers.get('content-type')),
      status: response.status,
      contentType: contentType ?? undefined,
      body: parseBody(await response.clone().text(), contentType),
    };
    exchanges.push(exchange);
    assertMatchesContract(exchange);
    return response;
  };
  return Object.assign(wrapped, { exchanges }) as typeof fetch & { exchanges: Exchange[] };
}
