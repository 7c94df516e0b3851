/** @type {import('next').NextConfig} */
const nextConfig = {
  // Bundled PGlite builds but fails at run time resolving its WASM by URL (see docs/stack-notes).
  serverExternalPackages: ['@electric-sql/pglite'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
