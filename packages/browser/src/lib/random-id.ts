/** A random URL-safe id of `length` characters (6 bits each): 22 characters carry 132 bits. */
export function randomId(length = 22): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(length))) id += alphabet[byte & 63];
  return id;
}
