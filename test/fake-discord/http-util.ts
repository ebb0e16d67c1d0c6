/** Small node:http helpers for the fake REST API: body parsing (JSON and multipart), replies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from './payloads.js';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface ParsedBody {
  body: Json | undefined;
  files: UploadedFile[];
}

export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) return parseMultipart(raw, type);
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: { _unparsed: text }, files: [] };
  }
}

/** Just enough multipart: `payload_json` becomes the body, file parts are listed (not stored). */
function parseMultipart(raw: Buffer, contentType: string): ParsedBody {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return { body: undefined, files: [] };
  const text = raw.toString('latin1');
  const files: UploadedFile[] = [];
  let body: Json | undefined;
  for (const part of text.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const content = part.slice(split + 4).replace(/\r\n$/, '');
    const field = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    if (filename !== undefined) {
      files.push({
        field,
        filename,
        contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream',
        size: Buffer.byteLength(content, 'latin1'),
      });
    } else if (field === 'payload_json') {
      body = JSON.parse(Buffer.from(content, 'latin1').toString('utf8'));
    }
  }
  return { body, files };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 204) {
    res.writeHead(204, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

/** What a route handler answers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const NO_CONTENT: Reply = { status: 204 };

/** The parts of a recorded request a route handler reads. */
export interface RouteRequest {
  query: Record<string, string>;
  body: Json | undefined;
  files: UploadedFile[];
}

/** [method, path pattern (no /api/v10 prefix), handler]; the handler gets the pattern's match. */
export type Route<R extends RouteRequest = RouteRequest> = [method: string, pattern: RegExp, handler: (m: RegExpExecArray, r: R) => Reply | Promise<Reply>];

export function apiError(status: number, code: number, message: string): { status: number; body: Json } {
  return { status, body: { message, code } };
}
