// Vitest runs server modules outside Next's bundler, where the real `server-only` would throw.
export {};
