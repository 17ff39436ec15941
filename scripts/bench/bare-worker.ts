// Baseline for bench:redirect: a Hono Worker that only answers 302.
import { Hono } from 'hono';

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok', worker: 'bare' }));
app.get('/:slug', (c) => c.body(null, 302, { Location: 'https://shop.example/spring', 'Cache-Control': 'no-store' }));

export default app;
