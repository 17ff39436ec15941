/// <reference types="vite/client" />
/**
 * Arrows point down: ui (the dashboard) → routes (API and public) → services →
 * schemas (requests and responses), views (customer pages) → db → domain → lib. Read from the sources themselves, so a new
 * import against the grain fails here.
 */
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob('../../src/**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** The layer a source file belongs to: its first folder under src/ (files at the root are the app's wiring). */
const layerOf = (path: string): string => {
  const parts = path.replace('../../src/', '').split('/');
  return parts.length === 1 ? 'root' : parts[0];
};

/** What each layer may import from, besides itself and src/env.ts (the bindings' types). */
const ALLOWED: Record<string, string[]> = {
  lib: [],
  domain: ['lib'],
  db: ['domain', 'lib'],
  schemas: ['db', 'domain', 'lib'], // response mappers take the repositories' objects
  views: ['domain', 'lib'],
  services: ['db', 'schemas', 'domain', 'lib'],
  routes: ['services', 'db', 'schemas', 'views', 'domain', 'lib'],
  ui: ['routes', 'services', 'db', 'schemas', 'views', 'domain', 'lib'],
  root: ['ui', 'routes', 'services', 'db', 'schemas', 'views', 'domain', 'lib'],
};

function importsOf(path: string, text: string): string[] {
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => match[1]);
  const dir = path.split('/').slice(0, -1);
  return specs.map((spec) => {
    const parts = [...dir];
    for (const step of spec.split('/')) {
      if (step === '..') parts.pop();
      else if (step !== '.') parts.push(step);
    }
    return parts.join('/');
  });
}

describe('layers', () => {
  it('reads the sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
  });

  it('imports only from its own layer or the layers below', () => {
    const against: string[] = [];
    for (const [path, text] of Object.entries(sources)) {
      const layer = layerOf(path);
      for (const target of importsOf(path, text)) {
        if (!target.startsWith('../../src/')) continue;
        const targetLayer = layerOf(`${target}.ts`);
        if (targetLayer === layer || target === '../../src/env' || ALLOWED[layer]?.includes(targetLayer)) continue;
        against.push(`${path.replace('../../', '')} → ${target.replace('../../', '')}`);
      }
    }
    expect(against).toEqual([]);
  });

  it('has no import circle', () => {
    const modules = new Set(Object.keys(sources).map((path) => path.replace(/\.tsx?$/, '')));
    const graph = new Map(
      Object.entries(sources).map(([path, text]) => [path.replace(/\.tsx?$/, ''), importsOf(path, text).filter((target) => modules.has(target))]),
    );
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (module: string, trail: string[]) => {
      state.set(module, 'open');
      for (const next of graph.get(module) ?? []) {
        if (state.get(next) === 'open') circles.push([...trail.slice(trail.indexOf(next)), next].map((m) => m.replace('../../src/', '')).join(' → '));
        else if (!state.has(next)) visit(next, [...trail, next]);
      }
      state.set(module, 'done');
    };
    for (const module of graph.keys()) if (!state.has(module)) visit(module, [module]);
    expect(circles).toEqual([]);
  });
});
