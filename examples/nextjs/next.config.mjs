// This example sits inside the Inkling repository, which has a lockfile of its own: the app's root is this folder.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** @type {import('next').NextConfig} */
export default { outputFileTracingRoot: root, turbopack: { root } };
