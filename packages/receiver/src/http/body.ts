import { RequestError } from '../errors.js';

function tooLarge(maxBytes: number, size: string): RequestError {
  return new RequestError('body_too_large', 413, `body: ${size}, at most ${maxBytes} bytes; send smaller batches`);
}

/**
 * Reads a request body, refusing it (413) as soon as it passes `maxBytes`: a declared `Content-Length` is checked
 * first, and the stream is cancelled mid-way otherwise, so an oversized body is never buffered whole.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes, `${declared} bytes`);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes, `more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
