/**
 * A fake web site serving feeds (RSS 2.0, RSS 1.0/RDF, Atom) at paths the test chooses, with the
 * faults and request records of http-fake.ts.
 *
 *   const site = await startFakeFeeds();
 *   site.serve('/rss/cs.CL', xml)            // 200 application/rss+xml (or the given content type)
 *   site.url('/rss/cs.CL')                   // http://127.0.0.1:PORT/rss/cs.CL
 * Unknown paths → 404 text/html, like a real site's not-found page.
 */
import { startHttpFake, type HttpFake } from './http-fake.js';

export interface FakeFeeds extends HttpFake {
  serve(path: string, body: string, contentType?: string): void;
  url(path: string): string;
}

export async function startFakeFeeds(): Promise<FakeFeeds> {
  const routes = new Map<string, { body: string; contentType: string }>();
  const server = await startHttpFake((url) => {
    const route = routes.get(url.pathname);
    if (!route) return { status: 404, body: '<html><body>Not Found</body></html>', headers: { 'content-type': 'text/html' } };
    return { status: 200, body: route.body, headers: { 'content-type': route.contentType } };
  });
  return Object.assign(server, {
    serve(path: string, body: string, contentType = 'application/rss+xml; charset=utf-8') {
      routes.set(path, { body, contentType });
    },
    url(path: string) {
      return `${server.origin}${path}`;
    },
  });
}
